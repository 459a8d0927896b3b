"""The report tutorial's file blocks are the committed example report plugin, byte for byte,
as the first tutorial's are its example (test_tutorial_example)."""

from __future__ import annotations

from markdown_blocks import DOCS, files

EXAMPLE = DOCS.parent / "examples" / "pmo-acme-report"
TUTORIAL = DOCS / "tutorial" / "first-report.md"
PREFIX = "pmo-acme-report/"
GENERATED_DIRS = {"__pycache__", "build", "dist"}


def _generated(part: str) -> bool:
    return part.startswith(".") or part.endswith(".egg-info") or part in GENERATED_DIRS


def test_report_tutorial_shows_the_whole_plugin() -> None:
    shown = {path.removeprefix(PREFIX) for path in files(TUTORIAL) if path.startswith(PREFIX)}
    # Every committed file, the empty py.typed included; build and tool output is not.
    paths = [path.relative_to(EXAMPLE) for path in EXAMPLE.rglob("*") if path.is_file()]
    committed = {path.as_posix() for path in paths if not any(map(_generated, path.parts))}
    assert committed == shown


def test_report_tutorial_files_equal_the_example() -> None:
    shown = {p: text for p, text in files(TUTORIAL).items() if p.startswith(PREFIX)}
    assert shown, f"{TUTORIAL.name} shows no file of {PREFIX}"
    mismatched = []
    for path, text in shown.items():
        committed = EXAMPLE / path.removeprefix(PREFIX)
        if not committed.exists() or committed.read_text(encoding="utf-8") != text:
            mismatched.append(path)
    assert mismatched == [], f"tutorial blocks differ from examples/: {mismatched}"
