"""The tutorial's file blocks are the committed example plugin, byte for byte, so neither the
docs nor the example can drift from the other."""

from __future__ import annotations

from markdown_blocks import DOCS, files

EXAMPLE = DOCS.parent / "examples" / "pmo-acme-rules"
TUTORIAL = DOCS / "tutorial" / "first-plugin.md"
PREFIX = "pmo-acme-rules/"


def test_tutorial_shows_the_whole_plugin() -> None:
    shown = {path.removeprefix(PREFIX) for path in files(TUTORIAL) if path.startswith(PREFIX)}
    assert {
        "pyproject.toml",
        "pmo_acme_rules/__init__.py",
        "tests/test_acme_rules.py",
    } <= shown


def test_tutorial_files_equal_the_example() -> None:
    mismatched = []
    for path, text in files(TUTORIAL).items():
        if not path.startswith(PREFIX):
            continue
        committed = EXAMPLE / path.removeprefix(PREFIX)
        if not committed.exists() or committed.read_text(encoding="utf-8") != text:
            mismatched.append(path)
    assert mismatched == [], f"tutorial blocks differ from examples/: {mismatched}"
