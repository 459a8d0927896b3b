"""The tutorial's file blocks are the committed example plugin, byte for byte, so neither the
docs nor the example can drift from the other."""

from __future__ import annotations

from markdown_blocks import DOCS, files

EXAMPLE = DOCS.parent / "examples" / "pmo-acme-rules"
TUTORIAL = DOCS / "tutorial" / "first-plugin.md"
PREFIX = "pmo-acme-rules/"
GENERATED_DIRS = {"__pycache__", "build", "dist"}


def test_tutorial_shows_the_whole_plugin() -> None:
    shown = {path.removeprefix(PREFIX) for path in files(TUTORIAL) if path.startswith(PREFIX)}
    # Every committed file, so a file the reader is never shown (a README that pip needs,
    # say) fails here; build and tool output is not part of the plugin.
    paths = [path.relative_to(EXAMPLE) for path in EXAMPLE.rglob("*") if path.is_file()]
    committed = {path.as_posix() for path in paths if not any(map(_generated, path.parts))}
    assert committed == shown


def _generated(part: str) -> bool:
    return part.startswith(".") or part.endswith(".egg-info") or part in GENERATED_DIRS


def test_tutorial_files_equal_the_example() -> None:
    mismatched = []
    for path, text in files(TUTORIAL).items():
        if not path.startswith(PREFIX):
            continue
        committed = EXAMPLE / path.removeprefix(PREFIX)
        if not committed.exists() or committed.read_text(encoding="utf-8") != text:
            mismatched.append(path)
    assert mismatched == [], f"tutorial blocks differ from examples/: {mismatched}"
