"""A griffe extension for the SDK docs: pmo-core's docstrings are written in a little reST
(``Example::`` blocks, doctest sessions, roles such as :class:`~pmo_core.SourceItem`,
``double backticks``); mkdocstrings renders Markdown. This converts them when the docs are
built, so the docstrings stay readable in ``help()`` and in an editor.

mkdocs.yml names this file in the python handler's ``extensions:`` option.
"""

from __future__ import annotations

import ast
import re
import textwrap
from collections.abc import Callable, Iterator
from typing import Any

import griffe

_ROLE = re.compile(r":(?:class|func|meth|data|attr|mod|exc|obj):`(?P<body>[^`]+)`")
_TITLED = re.compile(r"^(?P<title>.+?)\s*<(?P<target>[^<>]+)>$")
_LITERAL = re.compile(r"``(.+?)``")
_ITEM = re.compile(r"\s*(?:(?:[-*+]|\d+\.)\s+)?")


def _doctest(lines: list[str]) -> str:
    # A session as the code it runs: prompts dropped, the output it shows as comments.
    code = []
    for line in lines:
        if line.startswith((">>>", "...")):
            code.append(line[4:])
        else:
            code.append(f"# {line}")
    return "\n".join(code)


def _language(intro: str, code: str) -> str:
    if "pmo.toml" in intro:
        return "toml"
    if code.startswith("$ "):
        return "console"
    # Only examples are code; any other literal block (the EVM formulas) is shown as text.
    return "python" if "example" in intro.lower() else "text"


def _inline(line: str, link: Callable[[str], str | None]) -> str:
    def role(match: re.Match[str]) -> str:
        body = match["body"]
        titled = _TITLED.match(body)
        if titled:
            title, target = titled["title"], titled["target"]
        else:
            target = body.lstrip("~")
            title = target.rpartition(".")[2] if body.startswith("~") else target
        identifier = link(target)
        return f"[`{title}`][{identifier}]" if identifier else f"`{title}`"

    return _LITERAL.sub(r"`\1`", _ROLE.sub(role, line))


def rest_to_markdown(text: str, link: Callable[[str], str | None] = lambda target: None) -> str:
    """Convert a docstring: a paragraph ending in ``::`` and its indented block become the
    paragraph (ending in ``:``) and a fenced block, a doctest session becomes Python code with
    its output as comments, a role becomes a cross-reference to ``link(target)`` (inline code
    when that is ``None``), and ``literal`` becomes `literal`."""
    lines = text.splitlines()
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        indent = _indent(line)
        if line.lstrip().startswith(">>>"):
            session = []
            while i < len(lines) and lines[i].strip():
                session.append(lines[i][indent:])
                i += 1
            # Unindented: "Example:" and an indented session is a reST block quote, and
            # indented Markdown would be a code block holding the fence.
            out += ["", "```python", _doctest(session), "```", ""]
            continue
        if not line.rstrip().endswith("::"):
            out.append(_inline(line, link))
            i += 1
            continue
        intro = line.rstrip()[:-1]
        i += 1
        block = []
        while i < len(lines) and (not lines[i].strip() or _indent(lines[i]) > indent):
            block.append(lines[i])
            i += 1
        code = textwrap.dedent("\n".join(block)).strip("\n")
        if code.startswith(">>>"):
            lang, code = "python", _doctest(code.splitlines())
        else:
            lang = _language(intro, code)
        if intro.strip() != ":":  # a bare "::" introduces the block and is not shown
            out.append(_inline(intro, link))
        # A block in a list item stays in it: indented like the item's text.
        item = _ITEM.match(line)
        pad = " " * (item.end() if item else indent)
        out += ["", f"{pad}```{lang}", *_padded(code, pad), f"{pad}```", ""]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip("\n")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _padded(code: str, pad: str) -> list[str]:
    return [pad + line if line else line for line in code.splitlines()]


def field_description(value: Any) -> str | None:
    """The ``description=`` of a ``Field(...)`` call (a griffe expression), as a string; ``None``
    for any other value or a description that is not a literal."""
    if not isinstance(value, griffe.ExprCall) or str(value.function).rpartition(".")[2] != "Field":
        return None
    for argument in value.arguments:
        if isinstance(argument, griffe.ExprKeyword) and argument.name == "description":
            text = argument.value
            if isinstance(text, str) and text[:1] in "'\"":
                try:
                    found = ast.literal_eval(text)
                except (ValueError, SyntaxError):
                    return None
                return found if isinstance(found, str) else None
    return None


def _tree(obj: griffe.Object) -> Iterator[griffe.Object]:
    yield obj
    for member in obj.members.values():
        if not member.is_alias:
            yield from _tree(member)  # type: ignore[arg-type]


def _final_path(obj: griffe.Object | griffe.Alias) -> str | None:
    try:
        return obj.final_target.path if obj.is_alias else obj.path  # type: ignore[union-attr]
    except (griffe.AliasResolutionError, griffe.CyclicAliasError):
        return None  # an import from outside pmo-core


class PmoDocstrings(griffe.Extension):
    """Converts every docstring of the pmo_core package once it is loaded."""

    def __init__(self) -> None:
        super().__init__()
        self._wildcards: list[tuple[str, str]] = []

    def on_alias_instance(self, *, alias: griffe.Alias, agent: Any, **kwargs: Any) -> None:
        if alias.wildcard:
            self._wildcards.append((agent.current.path, alias.wildcard))

    def on_attribute_instance(self, *, attr: griffe.Attribute, agent: Any, **kwargs: Any) -> None:
        # A model field says what it means in `Field(description=...)` (what pydantic's JSON
        # schema shows), or, like a constant, in `#:` comment lines above it (as Sphinx reads
        # them). A field with neither shows no text rather than its name again.
        if attr.docstring is not None or not attr.lineno:
            return
        description = field_description(attr.value)
        if description:
            attr.docstring = griffe.Docstring(description, parent=attr)
            return
        comment: list[str] = []
        for line in reversed(agent.code.splitlines()[: attr.lineno - 1]):
            if not line.lstrip().startswith("#:"):
                break
            comment.insert(0, line.lstrip()[2:].strip())
        if comment:
            attr.docstring = griffe.Docstring(" ".join(comment), parent=attr)

    def on_package(self, *, pkg: griffe.Module, loader: griffe.GriffeLoader, **kwargs: Any) -> None:
        if pkg.name != "pmo_core":
            return
        self._expose_wildcards(pkg, loader)
        public = self._public_paths(pkg)
        for obj in _tree(pkg):
            if obj.docstring is not None:
                link = self._linker(obj, public, loader)
                obj.docstring.value = rest_to_markdown(obj.docstring.value, link)

    def _expose_wildcards(self, pkg: griffe.Module, loader: griffe.GriffeLoader) -> None:
        # pmo_core's __all__ is computed (PEP 562), and griffe expands a submodule's __all__
        # only under a package with a static one; so `from ._records import *` exposed no
        # record type as pmo_core.<Record>. Expand the exports, then the wildcards again.
        for module in _tree(pkg):
            if module.is_module:
                loader.expand_exports(module)  # type: ignore[arg-type]
        for module_path, target_path in self._wildcards:
            module = loader.modules_collection[module_path]
            target = loader.modules_collection[target_path]
            for name in target.exports or ():
                if isinstance(name, str) and name not in module.members:
                    module.set_member(name, griffe.Alias(name, f"{target_path}.{name}"))

    @staticmethod
    def _public_paths(pkg: griffe.Module) -> dict[str, str]:
        # Where each public object is documented: pmo_core.<name> first, else under its public
        # submodule (pmo_core.hookspecs.<hook>, pmo_core.testing.<fixture>).
        found: dict[str, str] = {}
        modules = [pkg, *(m for n, m in pkg.modules.items() if not n.startswith("_"))]
        for module in modules:
            for name, member in module.members.items():
                path = _final_path(member)
                if name.startswith("_") or path is None:
                    continue
                public = found.setdefault(path, f"{module.path}.{name}")
                found[f"{module.path}.{name}"] = public
        return found

    @staticmethod
    def _linker(
        obj: griffe.Object, public: dict[str, str], loader: griffe.GriffeLoader
    ) -> Callable[[str], str | None]:
        def link(target: str) -> str | None:
            parts = target.split(".")
            if parts[0] != "pmo_core":
                try:
                    parts[:1] = obj.resolve(parts[0]).split(".")
                except griffe.NameResolutionError:
                    return None  # a builtin, or a name the docstring's scope does not know
            # The longest documented prefix: a public object, then public members below it.
            for n in range(len(parts), 0, -1):
                try:
                    canonical = _final_path(loader.modules_collection[".".join(parts[:n])])
                except KeyError:
                    continue
                found = public.get(canonical or "")
                if found and not any(p.startswith("_") for p in parts[n:]):
                    return ".".join([found, *parts[n:]])
            return None

        return link
