"""Complaint handling (pengaduan layanan): the register, its process topic, e-mail, recap, exports.

Importing the package registers the ``complaints`` table on ``engine.models.Base``.

The process ``pengaduan_layanan`` (processes/pengaduan_layanan.bpmn) carries no
identity: name, telephone, e-mail, NIK and the complainant's own words stay in
the ``complaints`` table. Its task data (flat keys; moments are ISO text in UTC):

| step (element id) | role | keys written |
|---|---|---|
| start (``complaints.intake``) | - | ``nomor_register``, ``kanal``, ``nomor_lapor``, ``waktu_diterima``, ``status_pengaduan``, and ``unit_terlapor``/``kategori`` when the complainant named them |
| ``verifikasi_pengaduan`` | petugas_pengaduan | ``hasil_verifikasi`` (lengkap/tidak_lengkap/bukan_kewenangan), ``ringkasan``, ``kategori``, ``unit_terlapor``, ``catatan_verifikasi`` |
| ``balas_verifikasi`` | petugas_pengaduan | ``tanggapan`` |
| ``saran_klasifikasi_pengaduan`` (business rule task, ``processes/klasifikasi_pengaduan.dmn``) | - | ``saran_klasifikasi`` (ringan/berat), ``saran_unit`` |
| ``klasifikasi_pengaduan`` | petugas_pengaduan | ``klasifikasi`` (ringan/berat), ``unit_penanganan``, both pre-filled from the suggestion; ``alasan_klasifikasi`` (required when either differs from it) |
| ``penyelesaian_unit``, ``tindak_lanjut_unit`` | unit_layanan | ``uraian_tindakan``, ``tanggal_tindakan`` |
| ``penanganan_berat`` | kabid_piak, kepala_dinas | ``cara_penanganan`` (investigasi/rapat), ``arahan_pimpinan`` |
| ``investigasi_analisis`` | petugas_pengaduan | ``temuan_investigasi``, ``hasil_analisis``, ``rekomendasi`` |
| ``rapat_pembahasan`` | kabid_piak, kepala_dinas | ``tanggal_rapat``, ``peserta_rapat``, ``notulen_rapat``, ``kesimpulan_rapat`` |
| ``keputusan_pimpinan`` | kabid_piak, kepala_dinas | ``keputusan_penyelesaian``, ``instruksi_unit`` |
| ``tanggapan_pengadu`` | petugas_pengaduan | ``tanggapan`` |
| ``balasan_diterima`` (message ``balasan_pengadu_diterima`` from the status page, key ``nomor_register``) | - | ``kepuasan``, ``balasan_pengadu``, ``dibalas_pada`` |
| ``konfirmasi_pengadu`` (opens when the reply arrives, pre-filled with it) | petugas_pengaduan | ``kepuasan`` (puas/cukup/tidak_puas), ``balasan_pengadu`` |

The ``complaints.log`` service tasks (``complaints.topics``) write the register
and return ``status_pengaduan``, plus ``diteruskan_pada`` (forwarding) and
``ditanggapi_pada`` (response), the moments the later time limits count from. After the
response the process waits at an event-based gateway for the complainant's reply (the message)
or the auto-close deadline (10 working days).
"""

from . import models  # noqa: F401
