"""Expressions and scripts in diagrams are analysts' code: run them restricted.

SpiffWorkflow's PythonScriptEngine evaluates with plain ``eval``/``exec`` and is
no sandbox (``().__class__.__base__.__subclasses__()`` reaches the builtins).
Here every condition, script and timer expression is compiled with
RestrictedPython's ``compile_restricted`` and run with its guards and a small
whitelist of names (``engine.restricted``), within a CPU-time and memory limit
(``engine.script_sandbox``); what a script prints is kept for the audit log.
The service dispatcher of the engine action under way is
kept in a context variable, so service tasks reach their topic handlers without
the workflow holding on to a database session.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.script_engine.python_environment import BasePythonScriptEngineEnvironment

from .restricted import compile_expression, compile_script
from .script_sandbox import bounded_evaluate, bounded_execute
from .texts import say

_dispatcher: ContextVar[Callable[[Any, str], dict | None] | None] = ContextVar(
    "laksana_dispatcher", default=None
)


def current_dispatcher():
    return _dispatcher.get()


def set_dispatcher(dispatcher):
    """Install the service dispatcher for this action; returns the token to reset it."""
    return _dispatcher.set(dispatcher)


def reset_dispatcher(token) -> None:
    _dispatcher.reset(token)


def check_syntax(source: str, mode: str) -> str | None:
    """None when the expression/script compiles restricted, else the reason (for validation)."""
    try:
        ast.parse(source.strip() if mode == "eval" else source, mode=mode)
        (compile_expression if mode == "eval" else compile_script)(source)
    except SyntaxError as exc:
        return _syntax_in_words(exc)
    return None


def _syntax_in_words(exc: SyntaxError) -> str:
    """Python's and RestrictedPython's syntax errors in a sentence (one line, ``engine.texts``)."""
    text = " ".join(str(exc.msg or "").split())
    if "starts with" in text and '"_"' in text:
        reason = say("nama yang diawali garis bawah (_) tidak boleh dipakai")
    elif "not allowed" in text or "is an invalid" in text:
        reason = say("memakai bagian Python yang tidak diizinkan")
    else:  # "invalid syntax", "was never closed", "unmatched" and the rest
        reason = say("susunan kalimat Python tidak sah")
    return (
        say("%(reason)s, baris %(line)d", reason=reason, line=exc.lineno) if exc.lineno else reason
    )


class RestrictedEnvironment(BasePythonScriptEngineEnvironment):
    """Evaluates restricted and bounded (``engine.script_sandbox``); keeps what scripts print."""

    def __init__(self) -> None:
        super().__init__()
        #: text printed by the last script, for the runner's audit entry
        self.printed = ""

    def evaluate(self, expression, context, external_context=None):
        value, _printed = bounded_evaluate(expression, context, external_context)
        return value

    def execute(self, script, context, external_context=None):
        changed, self.printed = bounded_execute(script, context, external_context)
        context.update(changed)
        return True

    def call_service(self, context, **kwargs):  # pragma: no cover - service tasks use topics
        raise NotImplementedError("service tasks are dispatched by topic")


class RestrictedScriptEngine(PythonScriptEngine):
    def __init__(self) -> None:
        super().__init__(environment=RestrictedEnvironment())
        #: task id -> what its script printed (taken by the runner when the task completes)
        self.printed: dict = {}

    def execute(self, task, script, external_context=None):
        self.environment.printed = ""
        try:
            return super().execute(task, script, external_context)
        finally:
            if self.environment.printed:
                self.printed[task.id] = self.environment.printed

    def validate(self, expression):
        compile_expression(expression)

    def call_service(self, task, **kwargs):  # the stock one hides the real error (3.2.0)
        raise WorkflowTaskException("service tasks are dispatched by topic", task=task)
