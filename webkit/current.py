"""The running app's shared objects, for blueprints (as flaskr's ``get_db``)."""

from __future__ import annotations

from flask import current_app

from engine.facade import BpmnEngine
from engine.plugins import Registration

ENGINE_KEY = "laksana.engine"
REGISTRATION_KEY = "laksana.registration"


def get_engine() -> BpmnEngine:
    return current_app.extensions[ENGINE_KEY]


def get_registration() -> Registration:
    return current_app.extensions[REGISTRATION_KEY]
