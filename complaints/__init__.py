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
| ``klasifikasi_pengaduan`` | petugas_pengaduan | ``klasifikasi`` (ringan/berat), ``alasan_klasifikasi`` |
| ``penyelesaian_unit``, ``tindak_lanjut_unit`` | unit_layanan | ``uraian_tindakan``, ``tanggal_tindakan`` |
| ``penanganan_berat`` | kabid_piak, kepala_dinas | ``cara_penanganan`` (investigasi/rapat), ``arahan_pimpinan`` |
| ``investigasi_analisis`` | petugas_pengaduan | ``temuan_investigasi``, ``hasil_analisis``, ``rekomendasi`` |
| ``rapat_pembahasan`` | kabid_piak, kepala_dinas | ``tanggal_rapat``, ``peserta_rapat``, ``notulen_rapat``, ``kesimpulan_rapat`` |
| ``keputusan_pimpinan`` | kabid_piak, kepala_dinas | ``keputusan_penyelesaian``, ``instruksi_unit`` |
| ``tanggapan_pengadu`` | petugas_pengaduan | ``tanggapan`` |
| ``konfirmasi_pengadu`` | petugas_pengaduan | ``kepuasan`` (puas/cukup/tidak_puas), ``balasan_pengadu`` |

The ``complaints.log`` service tasks (``complaints.topics``) write the register
and return ``status_pengaduan``, plus ``saran_klasifikasi`` (verification),
``diteruskan_pada`` (forwarding) and ``ditanggapi_pada`` (response), the moments
the later time limits count from.
"""

from . import models  # noqa: F401
