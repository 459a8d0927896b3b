"""A weekly batch job that embeds pmo-core: one digest over several workspaces.

Each workspace brings its own plugins (one PMO may enable Acme's rules, another may not); both
are open at the same time in this one process, and neither sees the other's plugins, rules or
data, because every workspace owns its plugin host and its store.

    python digest.py digest.md path/to/delivery-pmo path/to/it-pmo
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from contextlib import ExitStack
from datetime import date
from pathlib import Path

from pmo_core import Workspace


def workspace_section(ws: Workspace) -> list[str]:
    """The digest lines of one workspace: plugins, red projects, governance problems."""
    view = ws.view()
    loaded = [s.id for s in ws.host.statuses() if s.state == "loaded" and not s.builtin]
    lines = [
        f"## {ws.config.name}",
        "",
        f"- plugins: {', '.join(loaded) or '(none)'}",
        f"- projects: {len(view.projects())}",
    ]
    red = [
        p.id
        for p in view.projects()
        if (latest := view.latest_status(p.id)) is not None and latest.overall.value == "red"
    ]
    lines.append(f"- red: {', '.join(red) or 'none'}")
    problems = [f for f in ws.check(min_level="warn") if not f.passed]
    lines.append(f"- governance problems: {len(problems)}")
    lines += [f"  - {f.entity}: {f.rule} [{f.level}] {f.message}" for f in problems]
    return [*lines, ""]


def write_digest(
    out: str | Path, workspaces: Sequence[str | Path], today: date | None = None
) -> str:
    """Open every workspace at once, write the digest to ``out`` and return its text."""
    day = today or date.today()
    with ExitStack() as stack:
        opened = [stack.enter_context(Workspace.open(path)) for path in workspaces]
        lines = [f"# PMO digest, week {day.isocalendar()[1]} of {day.year}", ""]
        for ws in opened:
            lines += workspace_section(ws)
    text = "\n".join(lines).rstrip() + "\n"
    Path(out).write_text(text, encoding="utf-8")
    return text


if __name__ == "__main__":  # pragma: no cover - manual use
    print(write_digest(sys.argv[1], sys.argv[2:]), end="")
