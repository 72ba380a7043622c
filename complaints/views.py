"""Complaints (pengaduan layanan): the public form and status page, the desk's form, the log book, the recap.

The public sends a complaint without an account and follows it by tracking
code. The complaint desk records complaints received by telephone, SMS,
e-mail, LAPOR! or in person. The log book, its exports, the recap and a
complaint's page are for the desk and leadership; the unit complained about
works from its inbox and never reaches these pages (``complaints.logbook``
says who sees the complainant's identity).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from complaints import catalog, export, register
from complaints.attachment import KIND as ATTACHMENT_KIND
from complaints.intake import IntakeInvalid, parse_intake, register_complaint
from complaints.logbook import (
    DESK_ROLES,
    LOG_READERS,
    parse_filter,
)
from complaints.recap import month_bounds
from engine.clock import office_date
from webkit.access import public, roles_required
from webkit.current import get_engine
from webkit.extensions import limiter

bp = Blueprint("complaints", __name__, template_folder="templates")
SENT_KEY = "pengaduan_terkirim"
VOCABULARY = {
    "channels": catalog.CHANNELS,
    "staff_channels": catalog.STAFF_CHANNELS,
    "units": catalog.UNITS,
    "categories": catalog.CATEGORIES,
    "weights": catalog.WEIGHTS,
    "statuses": catalog.STATUSES,
    "results": catalog.VERIFICATION_RESULTS,
    "satisfaction": catalog.SATISFACTION,
    "limits": catalog.LIMITS,
}
RECAP_MONTHS = 24


def _public_limit() -> str:
    return current_app.config["PUBLIC_FORM_RATE_LIMIT"]


def _tracking_limit() -> str:
    return current_app.config["TRACKING_RATE_LIMIT"]


def _translated_label(table: dict[str, str], code: str | None) -> str:
    """A code's label in the page's language (the catalogue's labels are marked for translation)."""
    return _(catalog.label(table, code))


@bp.app_context_processor
def complaint_vocabulary():
    vocabulary = {
        name: {code: _(text) for code, text in table.items()} for name, table in VOCABULARY.items()
    }
    # ``translated``: a catalogue label in the page's language, as plain (escaped) text
    return {"pengaduan": vocabulary, "label_of": _translated_label, "translated": _}


def _today() -> date:
    return office_date(get_engine().clock())


# ---------------------------------------------------------------- public
@bp.route("/pengaduan", methods=["GET", "POST"])
@limiter.limit(_public_limit, methods=["POST"])
@public
def public_form():
    values, errors = {}, {}
    if request.method == "POST":
        values = request.form.to_dict()
        engine = get_engine()
        try:
            intake = parse_intake(
                values, engine.clock(), staff=False, upload=request.files.get("lampiran")
            )
            complaint = register_complaint(engine, intake)
        except IntakeInvalid as exc:
            errors = exc.errors
        else:
            session[SENT_KEY] = complaint.kode_pelacakan
            return redirect(url_for("complaints.public_sent"))
    return render_template(
        "complaints/public_form.html", values=values, errors=errors
    ), 422 if errors else 200


@bp.get("/pengaduan/terkirim")
@public
def public_sent():
    code = session.get(SENT_KEY)
    if not code:
        return redirect(url_for("complaints.public_form"))
    return render_template("complaints/public_sent.html", code=code)


@bp.route("/pengaduan/status", methods=["GET", "POST"])
@limiter.limit(_tracking_limit)
@public
def status():
    source = request.form if request.method == "POST" else request.args
    raw_code = (source.get("kode") or "").strip()
    if not raw_code:
        return render_template("complaints/track.html")
    posted = request.form if request.method == "POST" else None
    tracked = register.track(get_engine(), raw_code, posted)
    if tracked is None:
        return render_template("complaints/track.html", unknown=raw_code), 404
    view, errors = tracked.view, tracked.errors
    if request.method == "POST" and not errors:
        flash(_("Terima kasih. Balasan Anda sudah kami terima."), "success")
        return redirect(url_for("complaints.status", kode=view.code))
    return render_template(
        "complaints/status.html", view=view, errors=errors, values=request.form if errors else {}
    ), 422 if errors else 200


# ---------------------------------------------------------------- the desk
@bp.route("/pengaduan/baru", methods=["GET", "POST"])
@roles_required(*DESK_ROLES)
def staff_form():
    values, errors = {"saluran": "telepon"}, {}
    if request.method == "POST":
        values = request.form.to_dict()
        engine = get_engine()
        try:
            intake = parse_intake(
                values, engine.clock(), staff=True, upload=request.files.get("lampiran")
            )
        except IntakeInvalid as exc:
            errors = exc.errors
        else:
            complaint = register_complaint(engine, intake, current_user.username)
            flash(
                _(
                    "Pengaduan tercatat dengan nomor register %(number)s. Kode pelacakan untuk pengadu: %(code)s",
                    number=complaint.nomor_register,
                    code=complaint.kode_pelacakan,
                ),
                "success",
            )
            return redirect(url_for("complaints.detail", complaint_id=complaint.id))
    return render_template(
        "complaints/staff_form.html", values=values, errors=errors
    ), 422 if errors else 200


def _period(log_filter) -> tuple[date, date]:
    today = _today()
    first, last = month_bounds(today.year, today.month)
    return log_filter.date_from or first, log_filter.date_to or last


@bp.get("/pengaduan/buku-log")
@roles_required(*LOG_READERS)
def logbook():
    engine = get_engine()
    log_filter, errors = parse_filter(request.args)
    log_filter.date_from, log_filter.date_to = _period(log_filter)
    page = register.log_page(engine, log_filter, current_user.roles)
    return render_template(
        "complaints/logbook.html",
        rows=page.rows,
        chosen=log_filter,
        errors=errors,
        late=page.late,
        shown=page.shown,
        export_args=log_filter.query_args(),
    )


#: the log book's downloads: format -> (MIME type, render(entries, first day, last day))
EXPORTS: dict[str, tuple[str, Callable[[list[dict[str, Any]], date, date], bytes | str]]] = {
    "pdf": ("application/pdf", export.pdf),
    "xlsx": (export.XLSX_MIME, export.xlsx),
    "csv": (export.CSV_MIME, lambda entries, _first, _last: export.csv_text(entries)),
}


@bp.get("/pengaduan/buku-log/unduh/<fmt>")
@roles_required(*LOG_READERS)
def log_export(fmt: str):
    if fmt not in EXPORTS:
        abort(404)
    engine = get_engine()
    log_filter, _errors = parse_filter(request.args)
    first, last = _period(log_filter)
    # every reader of the log book may see identities; the confidential ones stay hidden in print
    entries = register.log_entries(engine, first, last, log_filter, show_identity=True)
    mime, render = EXPORTS[fmt]
    filename = f"buku-log-pengaduan-{first:%Y%m%d}-{last:%Y%m%d}.{fmt}"
    return Response(
        render(entries, first, last),
        mimetype=mime,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _month_arg(raw: str | None) -> tuple[int, int] | None:
    try:
        chosen = datetime.strptime((raw or "").strip(), "%Y-%m")
    except ValueError:
        return None
    return (chosen.year, chosen.month) if 2000 <= chosen.year <= 2100 else None


@bp.get("/pengaduan/rekap")
@roles_required(*LOG_READERS)
def recap():
    engine = get_engine()
    today = _today()
    chosen = _month_arg(request.args.get("bulan"))
    if request.args.get("bulan") and chosen is None:
        flash(
            _("Bulan tidak sah: gunakan TTTT-BB, misalnya 2026-03. Ditampilkan bulan ini."),
            "warning",
        )
    year, month = chosen or (today.year, today.month)
    summary = register.recap(engine, year, month)
    return render_template(
        "complaints/recap.html",
        recap=summary,
        month_value=f"{year:04d}-{month:02d}",
        months=_recent_months(today),
        month_names=catalog.MONTHS,
    )


def _recent_months(today: date) -> list[tuple[str, str]]:
    """The last two years of months, newest first: ("2026-03", "Maret 2026")."""
    index = today.year * 12 + today.month - 1
    months = [divmod(index - back, 12) for back in range(RECAP_MONTHS)]
    return [
        (f"{year:04d}-{month + 1:02d}", f"{_(catalog.MONTHS[month])} {year}")
        for year, month in months
    ]


def _recipient_namer(engine) -> Callable[[Any], str]:
    """A notice's addressee in words: the e-mail address, the person's name or the role's name."""
    roles = engine.accounts.role_labels()

    def name(message: Any) -> str:
        if message.recipient_email:
            return str(message.recipient_email)
        if message.recipient_user:
            account = engine.accounts.by_username(message.recipient_user)
            return account.full_name if account and account.full_name else message.recipient_user
        return roles.get(message.recipient_role, message.recipient_role or "")

    return name


@bp.get("/pengaduan/<int:complaint_id>")
@roles_required(*LOG_READERS)
def detail(complaint_id: int):
    engine = get_engine()
    page = register.complaint_page(engine, complaint_id, current_user.roles)
    if page is None:
        abort(404)
    complaint = page.complaint
    open_tasks = engine.tasks(instance_id=complaint.instance_id) if complaint.instance_id else []
    may_act = bool(set(current_user.roles) & DESK_ROLES)
    # the complainant's attachment may identify them: the desk's to open (web.policy)
    attachments = [
        doc
        for doc in (
            engine.documents.for_instance(complaint.instance_id)
            if may_act and complaint.instance_id
            else []
        )
        if doc.kind == ATTACHMENT_KIND
    ]
    return render_template(
        "complaints/detail.html",
        complaint=complaint,
        open_tasks=open_tasks,
        messages=page.messages,
        recipient=_recipient_namer(engine),
        show_identity=page.show_identity,
        late=page.late,
        may_act=may_act,
        attachments=attachments,
    )
