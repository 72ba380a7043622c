"""Page templates are compiled once per process, not once per app, and never served stale."""

from __future__ import annotations

from jinja2 import DictLoader, Environment

from web.app import create_app
from web.templatecache import ProcessBytecodeCache


def _apps_compilations(monkeypatch, app) -> list[str]:
    compiled: list[str] = []
    original = Environment.compile

    def counting(self, source, name=None, filename=None, raw=False, defer_init=False):
        compiled.append(name)
        return original(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(app.jinja_env, "compile", counting.__get__(app.jinja_env))
    return compiled


def test_a_second_app_renders_the_sign_in_page_without_compiling_a_template(
    app, engine, settings, monkeypatch
):
    first = app.test_client().get("/masuk")
    assert first.status_code == 200
    second_app = create_app(
        {"TESTING": True, "LAKSANA_SETTINGS": settings, "RATELIMIT_ENABLED": False},
        engine=engine,
    )
    compiled = _apps_compilations(monkeypatch, second_app)
    second = second_app.test_client().get("/masuk")
    assert second.status_code == 200 and "Masuk" in second.get_data(as_text=True)
    assert compiled == [], f"compiled again: {compiled}"


def test_an_edited_template_is_compiled_anew_not_served_from_the_cache():
    cache = ProcessBytecodeCache()
    sources = {"salam.html": "Selamat pagi, {{ nama }}"}

    def render() -> str:
        environment = Environment(loader=DictLoader(sources), bytecode_cache=cache)
        return environment.get_template("salam.html").render(nama="Sri")

    assert render() == "Selamat pagi, Sri"
    sources["salam.html"] = "Selamat siang, {{ nama }}"
    assert render() == "Selamat siang, Sri"
