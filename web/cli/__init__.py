"""The ``laksana`` command: Flask's click group with the engine's commands.

Errors are one line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import datetime, timezone
from typing import Any

import click
from flask import current_app
from flask.cli import FlaskGroup, ScriptInfo

from engine.delegations import KINDS
from engine.errors import DiagramInvalid, EngineError, FormInvalid
from engine.migrate import upgrade
from jobs.embedded import start_ticker
from jobs.schema import ensure_schema
from webkit.current import get_engine

from ..app import create_app
from ..composition import install_commands, registration


class LaksanaGroup(FlaskGroup):
    """Turns every failure into one line on stderr (set LAKSANA_DEBUG=1 for tracebacks)."""

    def invoke(self, ctx):
        try:
            if not current_app:
                # the plug-ins' commands (``laksana users``, ``seed-demo``, ...) are added with
                # add_command, which does not wrap them in an app context as @cli.command does
                ctx.with_resource(ctx.ensure_object(ScriptInfo).load_app().app_context())
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException, SystemExit):
            raise
        except DiagramInvalid as exc:
            for issue in exc.issues:
                click.echo(f"error: {issue}", err=True)
            ctx.exit(2)
        except EngineError as exc:
            raise click.ClickException(str(exc)) from None
        except Exception as exc:  # noqa: BLE001
            if os.environ.get("LAKSANA_DEBUG"):
                raise
            raise click.ClickException(f"{exc.__class__.__name__}: {exc}") from None


def _create_app(*_args):
    return create_app()


@click.group(
    cls=LaksanaGroup,
    create_app=_create_app,
    add_default_commands=False,
    help="Laksana: Dukcapil Banjarnegara's SOPs as executable BPMN.",
)
def cli() -> None:
    pass


def main() -> None:
    cli(prog_name="laksana")


def _json_arg(text: str | None, name: str = "--data") -> dict[str, Any]:
    if not text:
        return {}
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise click.ClickException(
            f"{name} is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from None
    if not isinstance(value, dict):
        raise click.ClickException(f"{name} must be a JSON object")
    return value


def _emit(rows: list[dict[str, Any]], as_json: bool, columns: list[str]) -> None:
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
        return
    if not rows:
        click.echo("(none)")
        return
    for row in rows:
        click.echo("  ".join(str(row.get(c) if row.get(c) is not None else "-") for c in columns))


@cli.command(
    "init-db",
    help="Create or upgrade the engine store's schema (Alembic), and the job queue's on PostgreSQL.",
)
def init_db() -> None:
    upgrade(get_engine().db)
    if ensure_schema(get_engine().db):
        click.echo("skema antrean pekerjaan (procrastinate) dipasang")
    click.echo(f"database ready: {get_engine().db.engine.url.render_as_string(hide_password=True)}")


@cli.command(
    help="Deploy BPMN files (default: processes/) as new versions, each with the .dmn files "
    "and templates beside it (one transaction for all); prints the deploy-time warnings."
)
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--user", default=None)
@click.option(
    "--create-roles",
    is_flag=True,
    help="Add the roles the diagrams name that are not known yet (else such a diagram is refused).",
)
@click.option(
    "--note",
    default="",
    help="The change note kept with each new version (what changed, in the analyst's words).",
)
def deploy(paths: tuple[str, ...], user: str | None, create_roles: bool, note: str) -> None:
    engine = get_engine()
    for path in paths or (str(current_app.config["LAKSANA_SETTINGS"].processes_dir),):
        results = engine.deploy_path(path, user, create_roles=create_roles, note=note)
        for result in results:
            state = "unchanged" if result.unchanged else "deployed"
            click.echo(f"{state}: {result.process_id} version {result.version} ({result.name})")
        for warning in {str(w): w for r in results for w in r.warnings}:
            click.echo(f"peringatan: {warning}", err=True)


@cli.command(help="Start an instance; prints the instance id as the last word.")
@click.argument("process_id")
@click.option("--data", default=None, help="JSON object with the start data.")
@click.option("--user", default=None)
def start(process_id: str, data: str | None, user: str | None) -> None:
    instance = get_engine().start(process_id, _json_arg(data), user)
    click.echo(
        f"started {instance.process_id} version {instance.version}, status {instance.status}, "
        f"instance {instance.id}"
    )


@cli.command(help="List instances.")
@click.option("--status", default=None)
@click.option("--json", "as_json", is_flag=True)
def instances(status: str | None, as_json: bool) -> None:
    rows = [i.to_dict() for i in get_engine().list_instances(status=status)]
    _emit(
        rows,
        as_json,
        ["id", "process_id", "version", "status", "started", "ended", "current_tasks"],
    )


@cli.command(help="List open tasks (all, or those a user may do).")
@click.option("--user", default=None)
@click.option("--instance", "instance_id", type=int, default=None)
@click.option("--json", "as_json", is_flag=True)
def tasks(user: str | None, instance_id: int | None, as_json: bool) -> None:
    rows = [t.to_dict() for t in get_engine().tasks(user=user, instance_id=instance_id)]
    _emit(rows, as_json, ["id", "instance_id", "element_id", "role", "due", "claimed_by", "name"])


@cli.command(help="Claim a task.")
@click.argument("task_id")
@click.option("--user", required=True)
def claim(task_id: str, user: str) -> None:
    task = get_engine().claim(task_id, user)
    click.echo(f"claimed '{task.name}' by {user}")


@cli.command(help="Give a claimed task back.")
@click.argument("task_id")
@click.option("--user", required=True)
def unclaim(task_id: str, user: str) -> None:
    task = get_engine().unclaim(task_id, user)
    click.echo(f"unclaimed '{task.name}'")


@cli.command(help="Complete a task with form data.")
@click.argument("task_id")
@click.option("--user", required=True)
@click.option("--data", default=None, help="JSON object with the form's fields.")
def complete(task_id: str, user: str, data: str | None) -> None:
    try:
        instance = get_engine().complete(task_id, user, _json_arg(data))
    except FormInvalid as exc:
        for error in exc.errors:
            click.echo(f"error: field {error.field}: {error.message}", err=True)
        sys.exit(2)
    next_steps = ", ".join(instance.current_tasks) or "-"
    click.echo(f"completed; instance {instance.id} is {instance.status}; open: {next_steps}")


@cli.command(help="Fire the timers due now (or at --now).")
@click.option(
    "--now", "now_text", default=None, help="ISO 8601 time, e.g. 2026-03-12T10:00:00+07:00"
)
def tick(now_text: str | None) -> None:
    now = None
    if now_text:
        try:
            now = datetime.fromisoformat(now_text)
        except ValueError:
            raise click.ClickException(f"--now is not an ISO 8601 time: {now_text}") from None
        now = now if now.tzinfo else now.replace(tzinfo=timezone.utc)
    moved = get_engine().tick(now)
    click.echo(
        f"timers fired in {len(moved)} instance(s){': ' + ', '.join(map(str, moved)) if moved else ''}"
    )


@cli.command(help="An instance's history from the audit log.")
@click.argument("instance_id", type=int)
@click.option("--json", "as_json", is_flag=True)
def history(instance_id: int, as_json: bool) -> None:
    rows = [h.to_dict() for h in get_engine().history(instance_id)]
    if not as_json:  # "kabid_piak (Plh. kepala_dinas)" for a step done on behalf
        for row in rows:
            if row.get("on_behalf_of"):
                kind = KINDS.get(row["acting_kind"], row["acting_kind"])
                row["actor"] = f"{row['actor']} ({kind} {row['on_behalf_of']})"
    _emit(rows, as_json, ["at", "actor", "action", "element_id", "name"])


@cli.command(help="List open incidents (--all for resolved ones too).")
@click.option("--all", "show_all", is_flag=True)
@click.option("--json", "as_json", is_flag=True)
def incidents(show_all: bool, as_json: bool) -> None:
    rows = [i.to_dict() for i in get_engine().incidents(open_only=not show_all)]
    _emit(rows, as_json, ["id", "instance_id", "element_id", "topic", "status", "message"])


@cli.command(
    help="Retry the task of an incident (with --data: first change those keys; admin, --reason)."
)
@click.argument("incident_id", type=int)
@click.option("--user", default=None)
@click.option("--data", default=None, help="JSON object: the keys of the step's data to change.")
@click.option("--reason", default=None, help="Why the data is changed (required with --data).")
def retry(incident_id: int, user: str | None, data: str | None, reason: str | None) -> None:
    changes = _json_arg(data) or None
    if changes is not None and user is None:
        raise click.ClickException("--data needs --user (an administrator)")
    incident = get_engine().retry(incident_id, user, data=changes, reason=reason)
    if incident.resolved_at:
        click.echo(f"incident {incident.id} resolved; instance {incident.instance_id} continues")
    else:
        raise click.ClickException(f"incident {incident.id} failed again: {incident.message}")


@cli.command(help="Count an incident's failed step as done without running it (admin).")
@click.argument("incident_id", type=int)
@click.option("--user", required=True)
@click.option("--reason", required=True)
@click.option("--data", default=None, help="JSON object: what the step would have written.")
def skip(incident_id: int, user: str, reason: str, data: str | None) -> None:
    incident = get_engine().skip(incident_id, user, reason, data=_json_arg(data) or None)
    instance = get_engine().instance(incident.instance_id)
    click.echo(
        f"incident {incident.id} skipped; instance {instance.id} is {instance.status}; "
        f"open: {', '.join(instance.current_tasks) or '-'}"
    )


def _course(instance) -> None:
    click.echo(
        f"instance {instance.id} is {instance.status}; "
        f"open: {', '.join(instance.current_tasks) or '-'}"
    )


@cli.command(help="Suspend an instance: no task is offered and no timer fires until resumed.")
@click.argument("instance_id", type=int)
@click.option("--user", required=True)
@click.option("--reason", default="")
def suspend(instance_id: int, user: str, reason: str) -> None:
    _course(get_engine().suspend(instance_id, user, reason))


@cli.command(help="Resume a suspended instance.")
@click.argument("instance_id", type=int)
@click.option("--user", required=True)
@click.option("--reason", default=None, help="Ignored (accepted for symmetry with suspend).")
def resume(instance_id: int, user: str, reason: str | None) -> None:
    _course(get_engine().resume(instance_id, user))


@cli.command(
    help="End an instance for good, with a reason (its documents are kept; the requester is "
    "e-mailed the reason)."
)
@click.argument("instance_id", type=int)
@click.option("--user", required=True)
@click.option("--reason", default="")
def terminate(instance_id: int, user: str, reason: str) -> None:
    _course(get_engine().terminate(instance_id, user, reason))


@cli.command(
    help="Send an instance back to a step it has already passed, or with --forward on to a "
    "later step of the same flow (admin)."
)
@click.argument("instance_id", type=int)
@click.argument("element_id")
@click.option("--user", required=True)
@click.option("--reason", required=True)
@click.option("--forward", is_flag=True, help="Move on to a later step instead of back.")
def move(instance_id: int, element_id: str, user: str, reason: str, forward: bool) -> None:
    engine = get_engine()
    to = engine.move_forward if forward else engine.move
    _course(to(instance_id, user, element_id, reason))


@cli.command(help="What changed between two deployed versions of a process.")
@click.argument("process_id")
@click.argument("old", type=int)
@click.argument("new", type=int)
@click.option("--json", "as_json", is_flag=True)
def diff(process_id: str, old: int, new: int, as_json: bool) -> None:
    found = get_engine().versions.diff(process_id, old, new)
    if as_json:
        click.echo(json.dumps(found.to_dict(), ensure_ascii=False, indent=2))
        return
    rows = [("added", found.added), ("removed", found.removed), ("changed", found.changed)]
    if not any(items for _kind, items in rows):
        click.echo("(no difference in the steps)")
    for kind, items in rows:
        for change in items:
            what = "; ".join(change.what)
            click.echo(
                f"{kind}  {change.element_id}  {change.name}" + (f"  {what}" if what else "")
            )


@cli.command(help="Move running instances of one version onto another (admin).")
@click.argument("process_id")
@click.argument("old", type=int)
@click.argument("new", type=int)
@click.option("--user", required=True)
@click.option("--instance", "instance_ids", type=int, multiple=True, help="Only these (repeat).")
@click.option("--dry-run", is_flag=True, help="Only say which instances can move and why not.")
def migrate(
    process_id: str, old: int, new: int, user: str, instance_ids: tuple[int, ...], dry_run: bool
) -> None:
    versions = get_engine().versions
    if dry_run:
        found = [
            c
            for c in versions.preview(process_id, old, new)
            if not instance_ids or c.instance_id in instance_ids
        ]
    else:
        found = versions.migrate(process_id, old, new, user, list(instance_ids) or None)
    if not found:
        click.echo(f"(no running instance of {process_id} version {old})")
    for c in found:
        if c.can_move:
            state = "can move" if dry_run else f"moved to version {new}"
        else:
            state = f"stays on version {old}: {c.reason}"
        click.echo(f"instance {c.instance_id}  {state}  ({', '.join(c.current_tasks) or '-'})")


@cli.command(
    help="Serve the web app: Werkzeug in one process, or gunicorn with --workers N.",
    with_appcontext=False,
)
@click.option("--host", default="127.0.0.1")
@click.option("--port", default=5000, type=int)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes under gunicorn (production); without it, one Werkzeug process.",
)
@click.option(
    "--timeout", default=120, type=click.IntRange(min=1), help="gunicorn: seconds per request."
)
@click.option("--debug", is_flag=True)
def serve(host: str, port: int, workers: int | None, timeout: int, debug: bool) -> None:
    from ..serving import PortInUse, check_free, run_gunicorn

    try:
        check_free(host, port)
    except PortInUse as exc:
        raise click.ClickException(str(exc)) from None
    if workers is not None:
        if debug:
            raise click.ClickException("--debug hanya untuk server satu proses (tanpa --workers)")
        click.echo(f"Laksana di http://{host}:{port}/ dengan {workers} worker gunicorn")
        run_gunicorn(create_app, host=host, port=port, workers=workers, timeout=timeout)
        return
    # Flask's app.run() does nothing under the flask CLI group; serve with Werkzeug directly.
    from werkzeug.serving import run_simple

    # the app the CLI was given (the factory's, or a test's): serve opens no context of its own,
    # since the gunicorn path above must not build an app in the arbiter
    app = click.get_current_context().ensure_object(ScriptInfo).load_app()
    with app.app_context():
        ticker = start_ticker(get_engine(), app.config["LAKSANA_SETTINGS"])
    if ticker is not None:
        click.echo(f"pewaktu di dalam proses: tick setiap {ticker.seconds:g} detik (mode tertanam)")
    click.echo(f"Laksana on http://{host}:{port}/ (Ctrl+C to stop)")
    try:
        run_simple(
            host,
            port,
            app,
            threaded=True,
            use_reloader=False,
            use_debugger=debug,
        )
    finally:
        if ticker is not None:
            ticker.stop(timeout=5)


install_commands(cli, registration())
