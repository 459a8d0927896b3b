"""escape_controls: what output does with control and bidi characters from data."""

from __future__ import annotations

import json

import pytest

from pmo_core import escape_controls
from pmo_core.testing import HOSTILE_STRINGS


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("\x1b[31mred\x1b[0m", "\\u001b[31mred\\u001b[0m"),
        ("\x1b]0;owned\x07title", "\\u001b]0;owned\\u0007title"),
        ("looks fine\rEVIL", "looks fine\\u000dEVIL"),
        ("a\nb\tc", "a\\u000ab\\u0009c"),
        ("\u202egnp.exe", "\\u202egnp.exe"),
        ("\u2066x\u2069", "\\u2066x\\u2069"),
        ("\x9b31m\x85\x7f\x00", "\\u009b31m\\u0085\\u007f\\u0000"),
        ("Ünïcödé — fine ✓", "Ünïcödé — fine ✓"),
        ("\\u001b stays as typed", "\\u001b stays as typed"),
    ],
)
def test_every_control_and_bidi_character_becomes_a_visible_escape(text: str, escaped: str) -> None:
    assert escape_controls(text) == escaped


def test_multiline_keeps_line_feeds_and_tabs_and_windows_line_ends() -> None:
    assert escape_controls("a\r\nb\n\tc\rd\x1b", multiline=True) == "a\nb\n\tc\\u000dd\\u001b"


@pytest.mark.parametrize("label", list(HOSTILE_STRINGS))
def test_escaped_text_holds_no_control_character_and_is_a_json_string_of_the_same_data(
    label: str,
) -> None:
    text = HOSTILE_STRINGS[label]
    escaped = escape_controls(json.dumps(text, ensure_ascii=False))
    assert all(char.isprintable() or char == " " for char in escaped)
    assert json.loads(escaped) == text
