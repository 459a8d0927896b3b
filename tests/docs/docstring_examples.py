"""Run the examples of the API reference's docstrings, and check the results they show.

The rules (also on sdk_docs/reference/examples.md, "How the examples are checked"):

- An example runs in a fresh namespace made by the setup on the examples page: its python
  blocks marked ``<!-- examples: build -->`` build the example workspace (once per test
  worker), the block marked ``<!-- examples: each -->`` opens a copy of it for each example.
- An example under a method or property continues its class's example: the class's
  examples run first, in the same namespace.
- (Warnings: an example may issue only a warning it names; tests/docs/test_reference.py.)
- A shown result is checked: a top-level expression statement followed by a comment, on its
  last line or on the comment lines right under it, whose text is a Python literal (strings,
  numbers, tuples, lists, dicts, sets, ``True``, ``False``, ``None``) or uses only
  ``Decimal(...)``, ``date(...)``, ``datetime(...)``, ``timezone.utc``, ``frozenset(...)`` and
  the members of pmo-core's enums (``Rag.RED``), alone or followed by ``": "`` and prose
  (``# False: it expired``): the repr of the statement's value must equal the repr of that. A
  result shown with ``...`` is abridged and not checked; any other comment is prose and is
  left alone.
- A comment naming an exception (``# InvalidInputError``, ``# ValidationError: ...``) says
  the statement raises it: it must.
- A top-level ``raise`` statement shows an error being made: the exception is built, and the
  example goes on.
- An example that cannot run (it needs a server, a network, a file the reader has) starts
  with ``# not run: <the reason>``: it is compiled only. The reason is required.
"""

from __future__ import annotations

import ast
import copy
import io
import re
import tokenize
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any

NOT_RUN = re.compile(r"^#\s*not run\b:?\s*(?P<reason>.*)$", re.I)
_RAISES = re.compile(r"^(?P<name>[A-Z]\w*(?:Error|Exception|Warning))\b(?::.*)?$")
_CALLS = {"Decimal": Decimal, "date": date, "datetime": datetime, "frozenset": frozenset}


class ExampleFailed(AssertionError):
    """An example raised, or a result it shows is not what it gives."""


def not_run_reason(code: str) -> str | None:
    """The reason an example is not run (``""`` for a marker without one), else ``None``."""
    first = code.lstrip("\n").split("\n", 1)[0].strip()
    match = NOT_RUN.match(first)
    return match["reason"].strip() if match else None


def not_run_problems(examples: dict[str, list[str]]) -> list[str]:
    """The examples marked ``# not run`` without saying why."""
    return [
        f"{name} example {n}: '# not run' needs a reason ('# not run: needs a server')"
        for name, codes in examples.items()
        for n, code in enumerate(codes, start=1)
        if not_run_reason(code) == ""
    ]


@dataclass(frozen=True)
class Shown:
    """What a comment shows for the statement on ``line``: a value, or an exception."""

    line: int
    text: str
    value: Any = None
    raises: str | None = None


def _comments(code: str) -> dict[int, str]:
    found: dict[int, str] = {}
    try:
        for token in tokenize.generate_tokens(io.StringIO(code).readline):
            if token.type == tokenize.COMMENT:
                found[token.start[0]] = token.string[1:].strip()
    except (tokenize.TokenError, SyntaxError):
        pass
    return found


def _enums() -> dict[str, Any]:
    import enum

    import pmo_core

    found = {}
    for name in pmo_core.__all__:
        value = getattr(pmo_core, name)
        if isinstance(value, type) and issubclass(value, enum.Enum):
            found[name] = value
    return found


def literal(text: str) -> tuple[bool, Any]:
    """``(True, value)`` when ``text`` is a result the runner checks, else ``(False, None)``."""
    # As repr shows them: datetime.date(2025, 3, 31) is date(2025, 3, 31).
    for long, short in (("datetime.date(", "date("), ("datetime.datetime(", "datetime(")):
        text = text.replace(long, short)
    text = text.replace("datetime.timezone.utc", "timezone.utc")
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError:
        return False, None
    enums = None
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and node.value is Ellipsis:
            return False, None  # abridged
        if isinstance(node, ast.Name) and node.id not in _CALLS and node.id != "timezone":
            enums = enums if enums is not None else _enums()
            if node.id not in enums:
                return False, None
        if isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name) or node.func.id not in _CALLS:
                return False, None
        elif isinstance(node, ast.Attribute):
            base = node.value
            if not isinstance(base, ast.Name):
                return False, None
            if base.id == "timezone" and node.attr != "utc":
                return False, None
        elif not isinstance(
            node,
            (
                ast.Expression,
                ast.Constant,
                ast.Tuple,
                ast.List,
                ast.Dict,
                ast.Set,
                ast.UnaryOp,
                ast.USub,
                ast.Name,
                ast.Load,
                ast.keyword,
            ),
        ):
            return False, None
    names = {**_CALLS, "timezone": timezone, **(enums or {})}
    try:
        return True, eval(compile(tree, "<shown>", "eval"), {"__builtins__": {}}, names)
    except Exception:
        return False, None


def shown_results(code: str) -> dict[int, Shown]:
    """The results an example shows, by the first line of their statement."""
    tree = ast.parse(code)
    comments = _comments(code)
    found: dict[int, Shown] = {}
    for stmt in tree.body:
        if not isinstance(stmt, ast.Expr):
            continue
        end = stmt.end_lineno or stmt.lineno
        if end in comments and _line_has_code(code, end):
            text = comments[end]
        else:
            lines = []
            n = end + 1
            while n in comments and not _line_has_code(code, n):
                lines.append(comments[n])
                n += 1
            text = "\n".join(lines)
        if not text:
            continue
        raised = _RAISES.match(text)
        if raised:
            found[stmt.lineno] = Shown(stmt.lineno, text, raises=raised["name"])
            continue
        for shown in _literal_heads(text):
            ok, value = literal(shown)
            if ok:
                found[stmt.lineno] = Shown(stmt.lineno, shown, value=value)
                break
    return found


def _literal_heads(text: str) -> list[str]:
    """``text``, then each part of it before a ``": "`` (a result, then prose about it)."""
    heads = [text]
    start = 0
    while (at := text.find(": ", start)) != -1:
        heads.append(text[:at])
        start = at + 1
    return heads


def _line_has_code(code: str, line: int) -> bool:
    text = code.splitlines()[line - 1] if line <= len(code.splitlines()) else ""
    return not text.lstrip().startswith("#")


class _Instrument(ast.NodeTransformer):
    def __init__(self, shown: dict[int, Shown]) -> None:
        self.shown = shown

    def visit_Module(self, node: ast.Module) -> ast.Module:
        body: list[ast.stmt] = []
        for stmt in node.body:
            if isinstance(stmt, ast.Expr) and stmt.lineno in self.shown:
                # __shown__(line, lambda: <expr>)
                call = ast.Call(
                    func=ast.Name("__shown__", ast.Load()),
                    args=[
                        ast.Constant(stmt.lineno),
                        ast.Lambda(
                            args=ast.arguments(
                                posonlyargs=[],
                                args=[],
                                kwonlyargs=[],
                                kw_defaults=[],
                                defaults=[],
                            ),
                            body=stmt.value,
                        ),
                    ],
                    keywords=[],
                )
                body.append(ast.copy_location(ast.Expr(call), stmt))
            elif isinstance(stmt, ast.Raise) and stmt.exc is not None:
                call = ast.Call(
                    func=ast.Name("__raised__", ast.Load()),
                    args=[ast.Constant(stmt.lineno), stmt.exc],
                    keywords=[],
                )
                body.append(ast.copy_location(ast.Expr(call), stmt))
            else:
                body.append(stmt)
        node.body = body
        return node


def run_example(code: str, namespace: dict[str, Any], name: str) -> None:
    """Run ``code`` in ``namespace``, checking the results it shows; raise
    :class:`ExampleFailed` naming ``name`` and the line when it fails."""
    shown = shown_results(code)
    tree = _Instrument(shown).visit(copy.deepcopy(ast.parse(code)))
    ast.fix_missing_locations(tree)
    lines = code.splitlines()

    def where(line: int) -> str:
        return f"{name}, line {line}: {lines[line - 1].strip()}"

    def check(line: int, thunk: Callable[[], Any]) -> None:
        expected = shown[line]
        if expected.raises is not None:
            try:
                value = thunk()
            except Exception as exc:
                names = [cls.__name__ for cls in type(exc).__mro__]
                if expected.raises not in names:
                    raise ExampleFailed(
                        f"{where(line)}\n  shows {expected.raises}, raised "
                        f"{type(exc).__name__}: {exc}"
                    ) from exc
                return
            raise ExampleFailed(f"{where(line)}\n  shows {expected.raises}, gave {value!r}")
        value = thunk()
        if repr(value) != repr(expected.value):
            raise ExampleFailed(f"{where(line)}\n  shows {expected.text}\n  gives {value!r}")

    def raised(line: int, exc: object) -> None:
        if isinstance(exc, type):
            exc = exc()
        if not isinstance(exc, BaseException):
            raise ExampleFailed(f"{where(line)}\n  raises {exc!r}, not an exception")

    namespace["__shown__"] = check
    namespace["__raised__"] = raised
    try:
        exec(compile(tree, name, "exec"), namespace)
    except ExampleFailed:
        raise
    except Exception as exc:
        line = _example_line(exc, name)
        at = where(line) if line else name
        raise ExampleFailed(f"{at}\n  raised {type(exc).__name__}: {exc}") from exc
    finally:
        namespace.pop("__shown__", None)
        namespace.pop("__raised__", None)


def _example_line(exc: BaseException, name: str) -> int | None:
    tb = exc.__traceback__
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == name:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line
