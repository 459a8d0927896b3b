"""Find the fenced code blocks of the SDK docs, with the markers that say how to treat them.

Conventions (also in sdk_docs/contributing/maintainers.md):

- A block whose first line is ``# file: <path>`` (``<!-- file: <path> -->`` in Markdown)
  shows a file: it is written to ``<path>`` in the page's scratch directory instead of being
  run (a Python file is compiled), and the tutorial's file blocks must equal the committed
  example plugin. Several blocks naming the same file are joined in order, with
  two blank lines between them.
- ``python`` blocks run in order, sharing one namespace per page; ``console`` blocks run their
  ``$ pmo ...`` lines through click's CliRunner in the same scratch directory.
- ``<!-- exit: N -->`` before a console block: its commands are expected to exit with N.

The reference pages made when the docs are built (hooks, records, CLI) are not files here;
tests/docs/test_reference.py checks them and the docstring examples they show.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

DOCS = Path(__file__).resolve().parents[2] / "sdk_docs"

_FENCE = re.compile(r"^(?P<indent> *)(?P<fence>```+)(?P<info>[^`]*)$")
_MARKER = re.compile(r"^<!--\s*(?P<name>[a-z-]+)(?::\s*(?P<value>.*?))?\s*-->$")
_FILE = re.compile(r"^(?:#|//|<!--)\s*file:\s*(?P<path>\S+?)\s*(?:-->)?\s*$")


@dataclass(frozen=True)
class Block:
    """One fenced code block of a page."""

    page: Path
    line: int  # 1-based line of the opening fence
    lang: str
    info: str
    code: str
    markers: dict[str, str]

    @property
    def where(self) -> str:
        try:
            name = self.page.relative_to(DOCS).as_posix()
        except ValueError:  # a page outside the docs (the runner's own tests)
            name = str(self.page)
        return f"{name}:{self.line}"

    @property
    def file(self) -> str | None:
        """The path a file block shows (from its ``# file:`` first line), else ``None``."""
        first = self.code.split("\n", 1)[0]
        match = _FILE.match(first)
        return match.group("path") if match else None

    @property
    def body(self) -> str:
        """The code without a ``# file:`` line."""
        return self.code.split("\n", 1)[1] if self.file else self.code


def pages() -> list[Path]:
    """Every Markdown page of the docs, sorted."""
    return sorted(DOCS.rglob("*.md"))


def blocks(page: Path) -> list[Block]:
    """The fenced blocks of ``page`` in order, each with the HTML-comment markers that
    directly precede it (blank lines between marker and fence are allowed)."""
    lines = page.read_text(encoding="utf-8").splitlines()
    out: list[Block] = []
    markers: dict[str, str] = {}
    i = 0
    while i < len(lines):
        line = lines[i]
        marker = _MARKER.match(line.strip())
        fence = _FENCE.match(line)
        if marker:
            markers[marker.group("name")] = marker.group("value") or ""
            i += 1
            continue
        if fence:
            indent, ticks = len(fence.group("indent")), fence.group("fence")
            info = fence.group("info").strip()
            start = i
            i += 1
            body: list[str] = []
            while i < len(lines) and lines[i].strip() != ticks:
                body.append(lines[i][indent:])
                i += 1
            out.append(
                Block(
                    page=page,
                    line=start + 1,
                    lang=info.split()[0] if info else "",
                    info=info,
                    code="\n".join(body) + "\n",
                    markers=markers,
                )
            )
            markers = {}
            i += 1
            continue
        if line.strip():
            markers = {}
        i += 1
    return out


def files(page: Path) -> dict[str, str]:
    """The files a page's file blocks show, joined per path in order."""
    joined: dict[str, list[str]] = {}
    for block in blocks(page):
        if block.file:
            joined.setdefault(block.file, []).append(block.body)
    return {path: "\n\n".join(parts) for path, parts in joined.items()}
