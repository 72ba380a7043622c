"""Overview page: deployed processes, instances and open tasks (read-only)."""

from flask import Blueprint, render_template

from ..app import get_engine

bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    engine = get_engine()
    return render_template("home/index.html", definitions=engine.list_definitions(),
                           instances=engine.list_instances(limit=50), tasks=engine.tasks())
