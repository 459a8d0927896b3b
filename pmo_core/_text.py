"""Characters that must not reach a terminal, a report or a spreadsheet as they are.

One definition for the two sides: the domain refuses these characters on input (see
``_domain/_base.py``), and every output path (the CLI, reports) escapes them in data it did
not validate itself (records written by an older version or another tool, plugin messages).
Standard library only: the CLI imports this module on every command, ``pmo --help`` included.
"""

from __future__ import annotations

import re

# C0 controls (NUL, BEL, BS, ESC, CR ...), DEL and the C1 controls (0x80-0x9f; 0x9b is a
# one-byte CSI that some terminals obey like ESC [). Regular-expression escapes, not the
# characters themselves, so the patterns read the same in Python and in JSON Schema.
_CONTROLS = r"\x00-\x1f\x7f-\x9f"
# The same less tab, line feed and carriage return: what free text may hold.
_TEXT_CONTROLS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
# Bidirectional embeddings, overrides (U+202A-U+202E) and isolates (U+2066-U+2069): they
# reorder how the characters after them are shown, so "txt.exe" can display as "exe.txt".
_BIDI = r"\u202a-\u202e\u2066-\u2069"
# Unicode's own line and paragraph separators: some renderers break a line on them.
_SEPARATORS = r"\u2028\u2029"

#: JSON Schema (ECMA-262) pattern of a one-line value (a key, a name, a title): no control
#: character, line break or bidi control.
LINE_PATTERN = f"^[^{_CONTROLS}{_BIDI}{_SEPARATORS}]*$"
#: JSON Schema pattern of free text (a description, a summary): tab, line feed and carriage
#: return (which free text turns into a line feed) are allowed.
TEXT_PATTERN = f"^[^{_TEXT_CONTROLS}{_BIDI}]*$"

#: What a one-line value refuses, and what free text refuses, as compiled patterns.
UNSAFE_IN_LINE = re.compile(f"[{_CONTROLS}{_BIDI}{_SEPARATORS}]")
UNSAFE_IN_TEXT = re.compile(f"[{_TEXT_CONTROLS}{_BIDI}]")

# What output escapes: the controls, the bidi characters and the separators; tab and line
# feed only where the output is one line.
_ESCAPED = re.compile(f"[{_CONTROLS}{_BIDI}{_SEPARATORS}]")
_ESCAPED_MULTILINE = re.compile(rf"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}{_SEPARATORS}]")
_LINE_BREAKS = frozenset("\n\r\u2028\u2029")


def describe(char: str) -> str:
    """How an error message names a refused character: ``control character U+001B``."""
    code = f"U+{ord(char):04X}"
    if char == "\x00":
        return f"NUL character {code}"
    if char in _LINE_BREAKS:
        return f"line break {code}"
    if "\u202a" <= char <= "\u202e" or "\u2066" <= char <= "\u2069":
        return f"bidirectional control character {code}"
    return f"control character {code}"


def first_unsafe(value: str, *, multiline: bool) -> int | None:
    """The index of the first character ``value`` may not hold, or ``None``.

    A one-line value refuses every control character, line break and bidi control; a
    multi-line one (free text) allows tab, line feed and carriage return.
    """
    found = (UNSAFE_IN_TEXT if multiline else UNSAFE_IN_LINE).search(value)
    return None if found is None else found.start()


def shown(value: object, limit: int = 40) -> str:
    """``repr`` of a value for an error message, cut to about ``limit`` characters.

    ``repr`` escapes control and bidi characters, so the message is inert on a terminal, and
    the cut keeps a 100,000-character name from flooding it.
    """
    if isinstance(value, str) and len(value) > limit:
        return f"{value[:limit]!r}... ({len(value)} characters)"
    return repr(value)


def _escape(found: re.Match[str]) -> str:
    return f"\\u{ord(found.group()):04x}"


def escape_controls(text: str, *, multiline: bool = False) -> str:
    r"""Text from data made inert for a terminal or a report: every control character,
    bidirectional control and Unicode line separator is shown as a visible ``\uXXXX`` escape.

    ESC and OSC sequences cannot recolour the terminal, set its title or hide a link; BEL
    does not ring; a carriage return cannot overwrite what was printed; U+202E cannot reorder
    the line. With ``multiline``, tab and line feed are kept (a carriage return before a line
    feed is dropped, as Windows line ends are); otherwise they are escaped too, so one value
    stays on one line. The escapes are valid in a JSON string, so JSON text stays valid JSON
    with the same data.

    Example::

        from pmo_core import escape_controls

        escape_controls("\x1b]0;pwned\x07Alpha")    # '\\u001b]0;pwned\\u0007Alpha'
        escape_controls("a\nb")                      # 'a\\u000ab'
        escape_controls("a\r\nb", multiline=True)    # 'a\nb'
    """
    if multiline:
        text = text.replace("\r\n", "\n")
        return _ESCAPED_MULTILINE.sub(_escape, text)
    return _ESCAPED.sub(_escape, text)
