"""Diagram code compiled and run with RestrictedPython: the names it may use, and ``print``.

Imports nothing of SpiffWorkflow, so that the script worker process
(``engine.script_worker``) starts quickly; ``engine.scripting`` builds the
SpiffWorkflow script engine on top of it.
"""

from __future__ import annotations

import warnings
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from typing import Any, Literal

from RestrictedPython import compile_restricted, limited_builtins, safe_builtins, utility_builtins
from RestrictedPython.Eval import default_guarded_getitem, default_guarded_getiter
from RestrictedPython.Guards import (
    full_write_guard,
    guarded_iter_unpack_sequence,
    guarded_unpack_sequence,
    safer_getattr,
)
from RestrictedPython.PrintCollector import PrintCollector

from .calendar import days_deadline, working_days_deadline
from .office_hours import office_minutes_deadline, office_minutes_from_now

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
    "office_minutes_deadline": office_minutes_deadline,
    "office_minutes_from_now": office_minutes_from_now,
}
#: the name RestrictedPython binds the print collector to in the code it compiles
PRINTED = "_print"


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
        "_print_": PrintCollector,
        **WHITELIST,
    }


def _compile(source: str, filename: str, mode: Literal["exec", "eval"]):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SyntaxWarning)  # "prints, but never reads 'printed'"
        return compile_restricted(source, filename, mode)


@lru_cache(maxsize=2048)
def compile_expression(source: str):
    """Compile a condition or timer expression (raises SyntaxError naming the problem)."""
    return _compile(source.strip(), "<expression>", "eval")


@lru_cache(maxsize=512)
def compile_script(source: str):
    return _compile(source, "<script>", "exec")


def printed_text(scope: dict) -> str:
    collector = scope.get(PRINTED)
    return collector() if isinstance(collector, PrintCollector) else ""


def evaluate(expression: str, context: dict, external: dict | None = None):
    """(value, printed text) of a condition or timer expression."""
    scope = restricted_globals()
    scope.update(external or {})
    scope.update(context)
    value = eval(compile_expression(expression), scope)  # noqa: S307 - restricted bytecode
    return value, printed_text(scope)


def execute(script: str, context: dict, external: dict | None = None):
    """(data the script set, printed text): every public, non-callable name it left bound."""
    scope = restricted_globals()
    scope.update(external or {})
    reserved = set(scope)
    scope.update(context)
    exec(compile_script(script), scope)  # noqa: S102 - restricted bytecode
    changed = {
        key: value
        for key, value in scope.items()
        if key not in reserved and not key.startswith("_") and not callable(value)
    }
    return changed, printed_text(scope)
