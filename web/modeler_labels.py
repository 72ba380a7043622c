"""The words the diagram editor shows that are the app's own (Flask-Babel, Indonesian first).

bpmn-js's palette, context pad and properties panel are translated in the bundle
(``web/frontend/src/_translate_id.js``); the Laksana group of the properties panel
and the deploy dialog use the texts here, so English comes from messages.po like
every other page.
"""

from __future__ import annotations

from flask_babel import gettext as _


def laksana_group_labels() -> dict[str, str]:
    """The Laksana group of the properties panel: the SOP's columns of a step."""
    return {
        "group": _("Laksana (SOP)"),
        "standard_minutes": _("Waktu baku (menit)"),
        "standard_minutes_help": _(
            "Timer eskalasi pada langkah ini yang sama dengan waktu baku ikut diubah."
        ),
        "role": _("Peran"),
        "role_none": _("(lajur atau belum dipilih)"),
        "role_help": _("Ditulis sebagai camunda:candidateGroups; tanpa pilihan, peran lajurnya."),
        "sop_step": _("Nomor langkah SOP"),
        "inputs": _("Kelengkapan"),
        "output": _("Output"),
        "not_a_number": _("Tulis angka menit, misalnya 15."),
        "timer_followed": _("Timer eskalasi %(timers)s ikut menjadi %(minutes)s menit."),
        "minutes_word": _("menit"),
    }


def deploy_dialog_labels() -> dict[str, str]:
    """The dialog between "Terapkan" and the deploy itself: changes, warnings and the note."""
    return {
        "previewing": _("Membandingkan dengan versi yang berjalan…"),
        "dialog_title": _("Terapkan sebagai versi baru"),
        "first_version": _("Proses baru: belum ada versi yang berjalan."),
        "compare_title": _("Perubahan dari versi %(old)s ke versi %(new)s"),
        "old_caption": _("versi %(v)s (berjalan)"),
        "new_caption": _("versi baru (penyunting)"),
        "change": _("Perubahan"),
        "added": _("ditambahkan"),
        "removed": _("dihapus"),
        "changed": _("diubah"),
        "step": _("Langkah"),
        "what": _("Apa yang berubah"),
        "no_changes": _("Tidak ada perbedaan pada langkah-langkahnya."),
        "note": _("Catatan perubahan (wajib)"),
        "note_help": _("Apa yang berubah dan mengapa; tampil di daftar versi."),
        "note_required": _("Catatan perubahan wajib diisi."),
        "confirm": _("Terapkan"),
        "cancel": _("Batal"),
        "warnings_title": _("Peringatan"),
    }
