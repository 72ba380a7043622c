"""Expressions and scripts in diagrams are analysts' code: run them restricted.

SpiffWorkflow's PythonScriptEngine evaluates with plain ``eval``/``exec`` and is
no sandbox (``().__class__.__base__.__subclasses__()`` reaches the builtins).
Here every condition, script and timer expression is compiled with
RestrictedPython's ``compile_restricted`` and run with its guards and a small
whitelist of names. The service dispatcher of the engine action under way is
kept in a context variable, so service tasks reach their topic handlers without
the workflow holding on to a database session.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from contextvars import ContextVar
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from typing import Any

from RestrictedPython import compile_restricted, limited_builtins, safe_builtins, utility_builtins
from RestrictedPython.Eval import default_guarded_getitem, default_guarded_getiter
from RestrictedPython.Guards import (
    full_write_guard,
    guarded_iter_unpack_sequence,
    guarded_unpack_sequence,
    safer_getattr,
)
from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.script_engine.python_environment import BasePythonScriptEngineEnvironment

from .calendar import days_deadline, working_days_deadline

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


_ALLOWED_BUILTINS = {
    **safe_builtins,
    **limited_builtins,
    **{k: v for k, v in utility_builtins.items() if k in ("math", "random", "string")},
    "min": min,
    "max": max,
    "sum": sum,
    "any": any,
    "all": all,
    "sorted": sorted,
    "enumerate": enumerate,
    "zip": zip,
    "dict": dict,
    "list": list,
    "set": set,
    "tuple": tuple,
}
for _unsafe in ("setattr", "delattr", "__build_class__", "id"):
    _ALLOWED_BUILTINS.pop(_unsafe, None)

#: Names a diagram's expressions may use besides the task data.
WHITELIST = {
    "datetime": datetime,
    "date": date,
    "timedelta": timedelta,
    "timezone": timezone,
    "working_days_deadline": working_days_deadline,
    "days_deadline": days_deadline,
}


def _inplacevar(op: str, x, y):
    ops = {
        "+=": lambda a, b: a + b,
        "-=": lambda a, b: a - b,
        "*=": lambda a, b: a * b,
        "/=": lambda a, b: a / b,
    }
    if op not in ops:
        raise SyntaxError(f"operator {op} is not allowed")
    return ops[op](x, y)


def restricted_globals() -> dict[str, Any]:
    return {
        "__builtins__": _ALLOWED_BUILTINS,
        "__name__": "diagram",
        "__metaclass__": type,
        "_getattr_": safer_getattr,
        "_getitem_": default_guarded_getitem,
        "_getiter_": default_guarded_getiter,
        "_iter_unpack_sequence_": guarded_iter_unpack_sequence,
        "_unpack_sequence_": guarded_unpack_sequence,
        "_write_": full_write_guard,
        "_inplacevar_": _inplacevar,
        **WHITELIST,
    }


@lru_cache(maxsize=2048)
def compile_expression(source: str):
    """Compile a condition or timer expression (raises SyntaxError naming the problem)."""
    return compile_restricted(source.strip(), "<expression>", "eval")


@lru_cache(maxsize=512)
def compile_script(source: str):
    return compile_restricted(source, "<script>", "exec")


def check_syntax(source: str, mode: str) -> str | None:
    """None when the expression/script compiles restricted, else the reason (for validation)."""
    try:
        ast.parse(source.strip() if mode == "eval" else source, mode=mode)
        (compile_expression if mode == "eval" else compile_script)(source)
    except SyntaxError as exc:
        return _syntax_in_words(exc)
    return None


def _syntax_in_words(exc: SyntaxError) -> str:
    """Python's and RestrictedPython's syntax errors, said in Indonesian (one line)."""
    text = " ".join(str(exc.msg or "").split())
    if "starts with" in text and '"_"' in text:
        reason = "nama yang diawali garis bawah (_) tidak boleh dipakai"
    elif "invalid syntax" in text or "was never closed" in text or "unmatched" in text:
        reason = "susunan kalimat Python tidak sah"
    elif "not allowed" in text or "is an invalid" in text:
        reason = "memakai bagian Python yang tidak diizinkan"
    else:
        reason = "susunan kalimat Python tidak sah"
    return f"{reason}, baris {exc.lineno}" if exc.lineno else reason


class RestrictedEnvironment(BasePythonScriptEngineEnvironment):
    def evaluate(self, expression, context, external_context=None):
        scope = restricted_globals()
        scope.update(external_context or {})
        scope.update(context)
        return eval(compile_expression(expression), scope)  # noqa: S307 - restricted bytecode

    def execute(self, script, context, external_context=None):
        scope = restricted_globals()
        scope.update(external_context or {})
        reserved = set(scope)
        scope.update(context)
        exec(compile_script(script), scope)  # noqa: S102 - restricted bytecode
        for key, value in scope.items():
            if key in reserved or key.startswith("_") or callable(value):
                continue
            context[key] = value
        return True

    def call_service(self, context, **kwargs):  # pragma: no cover - service tasks use topics
        raise NotImplementedError("service tasks are dispatched by topic")


class RestrictedScriptEngine(PythonScriptEngine):
    def __init__(self) -> None:
        super().__init__(environment=RestrictedEnvironment())

    def validate(self, expression):
        compile_expression(expression)

    def call_service(self, task, **kwargs):  # the stock one hides the real error (3.2.0)
        raise WorkflowTaskException("service tasks are dispatched by topic", task=task)
