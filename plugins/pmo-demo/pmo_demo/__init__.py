"""pmo-demo: ``pmo demo`` builds a realistic sample PMO and takes a short tour of it.

A plugin for pmo-core (plugin id ``demo``). Its command needs no workspace (it makes one), so
``pmo demo`` works from any directory once the distribution is installed. The sample is a
stage-gate PMO: 2 portfolios (directive and controlling governance), 4 programs and 25 projects
with budgets, milestones, work items and earned value, baselines, approved artifacts, gate
history, RAID logs and status history. :data:`BLOCKED_PROJECT` is blocked at its gate and
:data:`SKIPPED_GATE_PROJECT` skipped one, so governance has something to say. Beside them,
when the ``scrum`` and ``kanban`` methodologies are enabled (``pmo demo`` enables them), run
a Scrum team (:data:`SCRUM_PROJECT`, sprints and story points earning value by AgileEVM) and
a Kanban team (:data:`KANBAN_PROJECT`, one column over its WIP limit), and the PMO keeps its
own cost and stakeholder surveys for the ``pmo-review`` report. When the ``resources``,
``benefits`` and ``knowledge`` plugins are enabled (``pmo demo`` enables them), a resource
pool with one over-allocated role-month, a benefits register (one benefit at risk, one of a
closed project still measured) and a lessons library join them (see
:mod:`pmo_demo._registers`). After that
history, a week is taken live through the Workspace API, every step authorised by the
approval matrix: an idea goes from proposal to execution (with a waiver), a change request
re-baselines a project, an exception is escalated, a project is killed. After the week, when
the ``strategy`` plugin is enabled (``pmo demo`` enables it), objectives for each portfolio,
a pipeline of 10 proposals under ``OPS`` and two saved selection scenarios, Base and Growth,
where the budget, one capacity cell, a dependency and an exclusion shape the choice (see
:mod:`pmo_demo._strategy`).

Phases, gates and their artifacts come from the ``stage-gate`` methodology's records, and
which phases are execution phases from :func:`pmo_governance.is_execution`: the demo follows
the methodology as installed (tailored or not) instead of keeping a copy of it.

Example::

    from pmo_core import Workspace
    from pmo_demo import build_demo

    with Workspace.init("acme", profile="controlling") as ws:
        built = build_demo(ws)
        built["counts"]["project"]  # 25; 28 with scrum, kanban and the registers enabled
        built["week"]["idea"]       # 'EV-FLEET'
"""

from __future__ import annotations

from collections.abc import Iterator

from pmo_core import PmoCommand, hookimpl

from ._build import BLOCKED_PROJECT, SKIPPED_GATE_PROJECT, Progress, build_demo
from ._delivery import KANBAN_PROJECT, SCRUM_PROJECT

__all__ = [
    "BLOCKED_PROJECT",
    "KANBAN_PROJECT",
    "SCRUM_PROJECT",
    "SKIPPED_GATE_PROJECT",
    "Progress",
    "build_demo",
    "pmo_cli_commands",
]


@hookimpl
def pmo_cli_commands() -> Iterator[PmoCommand]:
    """Register ``pmo demo``, a command that needs no workspace.

    Example::

        $ pmo demo /tmp/acme
        $ pmo -w /tmp/acme gate check AI-ASSIST
    """
    # click and the command are imported only when the CLI asks for commands.
    from ._cli import demo

    yield PmoCommand(
        name="demo",
        summary="Build a realistic sample portfolio and run a tour.",
        command=demo,
        workspace=False,
    )
