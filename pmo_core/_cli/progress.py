"""The progress line of long commands (``pmo import``, ``pmo export``, ``pmo store copy``):
``progress(phase, done, total)`` drawn on stderr, one line redrawn in place, with the phase,
its counts and rate, and the time taken at the end."""

from __future__ import annotations

import shutil
import sys
import time
from types import TracebackType

import click

# How each phase is said: (the verb, what its counts count). A phase not listed is shown
# by its own name, counting "items".
_PHASES: dict[str, tuple[str, str]] = {
    "read": ("reading", "rows"),
    "archive": ("archiving what the source no longer holds:", "records"),
    "commit": ("committing", "changes"),
    "plans": ("checking the plans of", "entities"),
    "write": ("writing", "records"),
    "copy": ("copying", "journal entries"),
    "check source": ("checking the source:", "documents"),
    "check destination": ("checking the destination:", "documents"),
}
# Redraws a second at most: a bar redrawn on every call costs more than the work it shows.
_REDRAWS_PER_SECOND = 5
# A rate over less than this many seconds says little.
_RATE_AFTER = 0.5


def on_terminal() -> bool:
    """Whether stderr is a terminal: the bar is drawn only then (tests replace this)."""
    return sys.stderr.isatty()


class ProgressBar:
    """Shows ``progress(phase, done, total)`` on stderr: ``LABEL: reading 12,000 of 50,000
    rows, 9,800 rows/s``, then ``LABEL: committing 50,505 changes...``, then ``LABEL: done in
    6.9 s``. A phase that has only started (nothing done yet) says what it does, never a
    finished count.

    Drawn only when stderr is a terminal (``enabled`` forces it either way), so piped or
    --json output stays clean; redrawn on one line at most five times a second (and at
    each new phase and each phase's end), cut to the terminal's width, ended by the done
    line when the work ends, or by a line break when it fails. A plugin command hands it
    to the long work it runs, as ``pmo import`` does (the phases it does not know are
    shown by name, counting items).

    Example::

        from pmo_core.cli import ProgressBar

        with ProgressBar("Importing portfolio.csv") as bar:
            ws.import_from("csv", "portfolio.csv", progress=bar)
    """

    def __init__(self, label: str, *, enabled: bool | None = None) -> None:
        self.label = label
        self.enabled = on_terminal() if enabled is None else enabled
        self._started = time.monotonic()
        self._phase = ""
        self._phase_started = self._started
        self._drawn = 0.0
        self._shown = False

    def __call__(self, phase: str, done: int, total: int | None) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        new_phase = phase != self._phase
        if new_phase:
            # The first phase began with the work (its first report comes after rows done);
            # a later one when the phase before it ended, at its own first report.
            self._phase_started = now if self._phase else self._started
            self._phase = phase
        elif now - self._drawn < 1 / _REDRAWS_PER_SECOND and done != total:
            return
        self._drawn = now
        self._draw(self.line(phase, done, total, now - self._phase_started))

    @staticmethod
    def line(phase: str, done: int, total: int | None, elapsed: float) -> str:
        """What is drawn for one call, ``elapsed`` seconds into the phase.

        Example::

            ProgressBar.line("read", 12_000, 50_000, 1.2)
            # 'reading 12,000 of 50,000 rows, 10,000 rows/s'
        """
        verb, unit = _PHASES.get(phase, (phase, "items"))
        if done <= 0:
            if total == 0:
                return f"{verb} no {unit}"  # over, having had nothing to do
            # Started, its length unknown or nothing done yet: what it is doing.
            return f"{verb} {total:,} {unit}..." if total else f"{verb} ..."
        of = f" of {total:,}" if total is not None and total != done else ""
        rate = f", {done / elapsed:,.0f} {unit}/s" if elapsed >= _RATE_AFTER else ""
        return f"{verb} {done:,}{of} {unit}{rate}"

    def _draw(self, text: str) -> None:
        line = f"{self.label}: {text}"
        # A line longer than the terminal wraps, and the next redraw cannot go back over it.
        width = shutil.get_terminal_size().columns - 1
        if len(line) > width > 20:
            line = line[: width - 3] + "..."
        click.echo(f"\r{line}\x1b[K", file=sys.stderr, nl=False)
        self._shown = True

    def __enter__(self) -> ProgressBar:
        self._started = time.monotonic()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if not self._shown:
            return
        if exc_type is None:
            self._draw(f"done in {time.monotonic() - self._started:.1f} s")
        click.echo("", file=sys.stderr)
        self._shown = False
