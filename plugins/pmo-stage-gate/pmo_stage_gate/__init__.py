"""pmo-stage-gate: the predictive stage-gate methodology (Cooper) for pmo-core.

A plugin for pmo-core (plugin id ``stage-gate``). Stages: discovery, scoping, business case,
development, testing, launch, post-launch review. Gates: ``gate-1`` idea screen, ``gate-2``
second screen, ``gate-3`` go to development, ``gate-4`` go to testing, ``gate-5`` go to launch,
and ``post-launch-gate`` before the post-launch review. Each gate has must criteria (knock-outs:
approved deliverables, a sponsor, a budget, a baseline) and should criteria (milestones, owned
high risks, status not red). Funding is released stage by stage.

It offers the ``controlling`` and ``directive`` profiles for ``pmo init`` (stage-gate with the
governance model of that name, reports and CSV). It also adds ``pmo stage-gate artifacts`` and
``pmo stage-gate template ARTIFACT``.

Example::

    import pmo_stage_gate
    from pmo_core import Workspace

    with Workspace.in_memory(plugins={"stage-gate": pmo_stage_gate},
                             methodology="stage-gate") as ws:
        ws.create("project", id="ALPHA", name="Alpha", phase="business-case")
        ws.gate_check("ALPHA").reasons()
        # ["criterion business-case (must): artifact 'business-case' is not approved", ...]
"""

from __future__ import annotations

from collections.abc import Iterator

from pmo_core import PmoCommand, PmoMethodology, PmoProfile, hookimpl

from ._methodology import STAGE_GATE

__all__ = ["STAGE_GATE", "pmo_cli_commands", "pmo_methodologies", "pmo_profiles"]


@hookimpl
def pmo_methodologies() -> Iterator[PmoMethodology]:
    """Register the ``stage-gate`` methodology.

    Example::

        ws.host.record(PmoMethodology, "stage-gate").gates[2].name  # 'gate-3'
    """
    yield STAGE_GATE


@hookimpl
def pmo_cli_commands() -> Iterator[PmoCommand]:
    """Register ``pmo stage-gate`` (subcommands ``artifacts`` and ``template``).

    Example::

        $ pmo stage-gate template business-case > business-case.md
    """
    # click is imported only when the CLI asks for commands, never by `import pmo_stage_gate`.
    from ._cli import stage_gate

    yield PmoCommand(
        name="stage-gate",
        summary="Stage-gate deliverables and their Markdown templates.",
        command=stage_gate,
    )


@hookimpl
def pmo_profiles() -> Iterator[PmoProfile]:
    """Register the ``controlling`` and ``directive`` profiles: stage-gate under the
    governance model of the same name, with reports and CSV.

    Example::

        $ pmo init acme --profile controlling
    """
    for rank, model, summary in (
        (20, "controlling", "A controlling PMO: stage-gate, and its rules warn or block."),
        (30, "directive", "A directive PMO: stage-gate, every rule blocks, the PMO approves."),
    ):
        yield PmoProfile(
            name=model,
            summary=summary,
            plugins=("governance", "stage-gate", "reports", "csv"),
            governance_model=model,
            methodology="stage-gate",
            rank=rank,
        )
