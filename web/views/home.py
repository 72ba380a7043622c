"""The front door: the public landing page, or the inbox for someone signed in."""

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

from webkit.access import public
from webkit.current import get_engine

bp = Blueprint("home", __name__)


@bp.get("/")
@public
def index():
    if current_user.is_authenticated:
        return redirect(url_for("inbox.index"))
    return render_template("home/index.html", services=get_engine().public_services())
