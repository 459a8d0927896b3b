"""Data as inert Markdown: one escaping for every Markdown a report writes.

Every text from data (a name, a title, a summary) reaches Markdown through :func:`md_text`,
:func:`md_cell` or :func:`md_block`, which keep it inert: it can neither add structure (a heading,
a list, a table, a link) nor carry HTML or terminal controls, whoever stored it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from pmo_core import escape_controls

# Line ends of every system, tab, and Unicode's separators: inline text is one line, so a
# newline in a name cannot end a heading and start a line of its own.
_BREAKS = re.compile(r"\r\n|[\r\n\t\u2028\u2029]")
# HTML first (inline HTML would run in a renderer that allows it), as character references
# that every Markdown renderer shows as the character.
_HTML = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
# Then the punctuation Markdown reads inline: code spans, emphasis, strikethrough, links and
# images (escaping the brackets is enough to make "[x](javascript:...)" plain text), headings'
# closing hashes, and the backslash itself.
_INLINE = re.compile(r"([\\`*_~\[\]#])")
# A line starting with one of these would open a block: a list, a setext underline, an
# ordered list ("1." or "1)").
_BLOCK_START = re.compile(r"^([-+=]|[0-9]+[.)])")


def md_text(value: Any, *, pipes: bool = False) -> str:
    r"""Data as inert inline Markdown: one line, no markup, no HTML, no control characters.

    ``pipes`` escapes ``|`` too, for table cells and blocks where a row could form a table.

    Example::

        md_text("<script>alert(1)</script>")  # '&lt;script&gt;alert(1)&lt;/script&gt;'
        md_text("[x](javascript:alert(1))")   # '\\[x\\](javascript:alert(1))'
        md_text("Alpha\n# Owned")             # 'Alpha \\# Owned'
    """
    raw = "" if value is None else str(value)
    out = _BREAKS.sub(" ", raw).strip().translate(_HTML)
    out = _INLINE.sub(r"\\\1", out)
    if pipes:
        out = out.replace("|", "\\|")
    out = _BLOCK_START.sub(lambda m: m.group()[:-1] + "\\" + m.group()[-1], out)
    # Last: the escapes it writes (backslash, u, four digits) must not be escaped again.
    return escape_controls(out)


def md_block(value: Any) -> list[str]:
    r"""Multi-line free text (a summary) as inert Markdown lines, its line breaks kept.

    Each line is escaped as :func:`md_text` (pipes too), so no line can open a heading, a list,
    a table, a code block or HTML.

    Example::

        md_block("Done.\n# not a heading")  # ['Done.', '\\# not a heading']
    """
    raw = "" if value is None else str(value).strip()
    return [md_text(line, pipes=True) for line in re.split(r"\r\n|[\r\n\u2028\u2029]", raw)]


def md_cell(value: Any) -> str:
    r"""Text safe inside a Markdown table cell (see :func:`md_text`); ``—`` when empty.

    Example::

        md_cell("a | b")  # 'a \\| b'
        md_cell("")       # '—'
    """
    return md_text(value, pipes=True) or "—"


def md_table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    """A Markdown table as lines, from cells already made safe (:func:`md_cell`).

    Example::

        md_table(("Key", "Name"), [("ALPHA", md_cell("Alpha"))])
        # ['| Key | Name |', '|---|---|', '| ALPHA | Alpha |']
    """
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join("---" for _ in header) + "|",
    ]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines
