"""The buku agenda surat masuk (the Sekretariat's register of incoming letters), the register of
outgoing letters (register surat keluar) and the receipt printed for a walk-in applicant after
their letter is registered."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request, url_for
from flask_babel import gettext as _

from engine.clock import office_date
from engine.errors import NotFound
from reports.buku_agenda import agenda_pdf
from webkit.access import roles_required
from webkit.current import get_engine
from webkit.downloads import csv_response

from .. import agenda, outgoing
from ..i18n import SIFAT_LABELS, STATUS_LABELS
from ..letter_intake import PROCESS

bp = Blueprint("agenda", __name__)

#: who reads the register: the Sekretariat keeps it, managers and administrators check it
AGENDA_READERS = ("sekretariat", "manajer", "admin")
#: who reads the outgoing register: the Sekretariat and the JFU send letters out, managers check
OUTGOING_READERS = ("sekretariat", "jfu", "manajer", "admin")


def _headers() -> list[str]:
    return [
        _("Nomor agenda"),
        _("Tanggal diterima"),
        _("Nomor surat"),
        _("Tanggal surat"),
        _("Instansi pengirim"),
        _("Perihal"),
        _("Sifat"),
        _("Kode pelacakan"),
        _("Status"),
    ]


@bp.get("/buku-agenda")
@roles_required(*AGENDA_READERS)
def index():
    engine = get_engine()
    filters = agenda.agenda_filters(request.args)
    page = agenda.agenda_page(engine, filters)
    today = office_date(engine.clock())
    return render_template(
        "agenda/index.html",
        page=page,
        filters=filters,
        statuses=agenda.STATUSES,
        headers=_headers(),
        this_month=f"{today.year:04d}-{today.month:02d}",
    )


@bp.get("/buku-agenda/unduh.csv")
@roles_required(*AGENDA_READERS)
def export_csv():
    filters = agenda.agenda_filters(request.args)
    rows = agenda.all_rows(get_engine(), filters)
    content = agenda.to_csv(
        rows,
        _headers(),
        lambda s: str(STATUS_LABELS.get(s, s)),
        lambda s: str(SIFAT_LABELS.get(s, s)),
    )
    return csv_response(content, f"buku-agenda-{filters.month_value or 'semua'}.csv")


@bp.get("/buku-agenda/unduh.pdf")
@roles_required(*AGENDA_READERS)
def export_pdf():
    """The office's printed extract (reports/buku_agenda.py) for the chosen month, or this one."""
    engine = get_engine()
    today = office_date(engine.clock())
    year, month = agenda.parse_month(request.args.get("bulan")) or (today.year, today.month)
    first, last = agenda.month_bounds(year, month)
    content = agenda_pdf(engine.db, first, last)
    return Response(
        content,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="buku-agenda-{year:04d}-{month:02d}.pdf"'
        },
    )


def _outgoing_headers() -> list[str]:
    return [
        _("Nomor surat"),
        _("Tanggal surat"),
        _("Jenis"),
        _("Kepada"),
        _("Perihal"),
        _("Penanda tangan"),
        _("Kode pelacakan"),
    ]


@bp.get("/surat-keluar")
@roles_required(*OUTGOING_READERS)
def outgoing_index():
    engine = get_engine()
    filters = outgoing.outgoing_filters(request.args)
    today = office_date(engine.clock())
    return render_template(
        "agenda/outgoing.html",
        page=outgoing.outgoing_page(engine, filters),
        filters=filters,
        headers=_outgoing_headers(),
        this_month=f"{today.year:04d}-{today.month:02d}",
    )


@bp.get("/surat-keluar/unduh.csv")
@roles_required(*OUTGOING_READERS)
def outgoing_csv():
    filters = outgoing.outgoing_filters(request.args)
    rows, _kinds = outgoing.all_rows(get_engine(), filters)
    name = f"register-surat-keluar-{filters.month_value or 'semua'}.csv"
    return csv_response(outgoing.to_csv(rows, _outgoing_headers()), name)


@bp.get("/surat-masuk/<int:instance_id>/tanda-terima")
@roles_required("sekretariat", "admin")
def receipt(instance_id: int):
    """A page the Sekretariat prints for the applicant: agenda number and tracking code."""
    engine = get_engine()
    try:
        instance = engine.instance(instance_id)
    except NotFound:
        abort(404)
    if instance.process_id != PROCESS:
        abort(404)
    data = engine.instance_data(instance_id)
    code = instance.business_key or data.get("kode_pelacakan") or ""
    base = engine.settings.base_url.rstrip("/")
    return render_template(
        "agenda/receipt.html",
        instance=instance,
        letter=data,
        code=code,
        track_url=base + url_for("requests.track"),
        printed_on=office_date(engine.clock()),
    )
