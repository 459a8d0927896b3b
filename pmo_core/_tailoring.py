"""Applying an entity's tailoring to its methodology (pure functions over the records).

A tailored methodology is an ordinary :class:`~pmo_core.PmoMethodology` with the same name, so
everything that reads a methodology (the gate check, gate decisions, artifact templates, rules)
works on it unchanged. What no ``must`` criterion may lose stays: a ``must`` criterion cannot be
skipped and an artifact a ``must`` criterion names cannot be left out (a waiver is the way to
pass one of those, and it is recorded and approved as such).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ._domain.tailoring import Tailoring
from ._errors import InvalidInputError
from ._records.methodology import PmoGate, PmoGateCriterion, PmoMethodology, PmoPhase


def tailor(
    methodology: PmoMethodology, tailoring: Sequence[Tailoring]
) -> tuple[PmoMethodology, list[str]]:
    """Return ``methodology`` with ``tailoring`` applied, and a note for each tailoring that
    no longer applies (the methodology changed since it was recorded): those are left out,
    so the check is the stricter one.

    Example::

        tailored, notes = tailor(STAGE_GATE, [Tailoring(action="merge-phase",
                                 target="scoping", comment="small job", on=date.today())])
        [g.name for g in tailored.gates][:1]  # ['gate-2']: gate-1's criteria moved into it
    """
    current = methodology
    notes: list[str] = []
    for item in tailoring:
        try:
            current = _apply(current, item)
        except InvalidInputError as exc:
            notes.append(f"tailoring that {item.describe()} no longer applies: {exc}")
    return current, notes


def check_tailoring(
    methodology: PmoMethodology,
    tailoring: Sequence[Tailoring],
    new: Tailoring,
    *,
    entity: str,
    phase: str | None,
) -> None:
    """Raise :class:`~pmo_core.InvalidInputError` unless ``new`` can be added to the
    ``tailoring`` ``entity`` (now in ``phase``) already has.

    Example::

        check_tailoring(STAGE_GATE, [], Tailoring(action="skip-artifact",
                        target="business-case", comment="x", on=today),
                        entity="ALPHA", phase="scoping")
        # InvalidInputError: artifact 'business-case' is needed by must criterion ...
    """
    if any(t.action == new.action and t.target == new.target for t in tailoring):
        raise InvalidInputError(
            f"{entity} already has a tailoring that {_verb(new)} {new.target!r}", where="target"
        )
    current, _ = tailor(methodology, tailoring)
    if new.action == "merge-phase":
        here = phase or current.phases[0].name
        if new.target == here:
            raise InvalidInputError(
                f"{entity} is in phase {new.target!r}; only a phase it has not reached can be "
                "merged",
                where="target",
            )
        names = [p.name for p in current.phases]
        if here in names and new.target in names and names.index(new.target) < names.index(here):
            raise InvalidInputError(
                f"{entity} has passed phase {new.target!r}; only a phase it has not reached "
                "can be merged",
                where="target",
            )
    _apply(current, new)


def _verb(item: Tailoring) -> str:
    return {"skip-artifact": "skips", "skip-criterion": "skips", "merge-phase": "merges"}[
        item.action
    ]


def _apply(methodology: PmoMethodology, item: Tailoring) -> PmoMethodology:
    if item.action == "skip-artifact":
        return _skip_artifact(methodology, item.target)
    if item.action == "skip-criterion":
        return _skip_criterion(methodology, item.target)
    return _merge_phase(methodology, item.target)


def _must_users(methodology: PmoMethodology, artifact: str) -> list[str]:
    return [
        f"{g.name}/{c.name}"
        for g in methodology.gates
        for c in g.criteria
        if c.artifact == artifact and c.level == "must"
    ]


def _skip_artifact(methodology: PmoMethodology, name: str) -> PmoMethodology:
    known = [a.name for a in methodology.artifacts]
    if name not in known:
        raise InvalidInputError(
            f"methodology {methodology.name!r} has no artifact {name!r} "
            f"(artifacts: {', '.join(known) or 'none'})",
            where="target",
        )
    needed = _must_users(methodology, name)
    if needed:
        raise InvalidInputError(
            f"artifact {name!r} is needed by must criterion {', '.join(needed)}; a must "
            "cannot be tailored away (grant a waiver instead)",
            where="target",
        )
    phases = tuple(
        p.model_copy(update={"artifacts": tuple(a for a in p.artifacts if a != name)})
        for p in methodology.phases
    )
    gates = tuple(
        g.model_copy(update={"criteria": tuple(c for c in g.criteria if c.artifact != name)})
        for g in methodology.gates
    )
    return _rebuild(methodology, phases=phases, gates=gates)


def _skip_criterion(methodology: PmoMethodology, target: str) -> PmoMethodology:
    gate_name, slash, criterion_name = target.partition("/")
    if not slash or not gate_name or not criterion_name:
        raise InvalidInputError(
            f"criterion {target!r} must be named GATE/CRITERION (e.g. gate-2/strategic-fit)",
            where="target",
        )
    gate = next((g for g in methodology.gates if g.name == gate_name), None)
    if gate is None:
        raise InvalidInputError(
            f"methodology {methodology.name!r} has no gate {gate_name!r} "
            f"(gates: {', '.join(g.name for g in methodology.gates) or 'none'})",
            where="target",
        )
    criterion = next((c for c in gate.criteria if c.name == criterion_name), None)
    if criterion is None:
        raise InvalidInputError(
            f"gate {gate_name!r} has no criterion {criterion_name!r} "
            f"(criteria: {', '.join(c.name for c in gate.criteria) or 'none'})",
            where="target",
        )
    if criterion.level == "must":
        raise InvalidInputError(
            f"criterion {target!r} is a must; a must cannot be tailored away (grant a waiver "
            "instead)",
            where="target",
        )
    gates = tuple(
        g.model_copy(update={"criteria": tuple(c for c in g.criteria if c.name != criterion_name)})
        if g.name == gate_name
        else g
        for g in methodology.gates
    )
    return _rebuild(methodology, gates=gates)


def _merge_phase(methodology: PmoMethodology, name: str) -> PmoMethodology:
    names = [p.name for p in methodology.phases]
    if name not in names:
        raise InvalidInputError(
            f"methodology {methodology.name!r} has no phase {name!r} (phases: {', '.join(names)})",
            where="target",
        )
    i = names.index(name)
    if i == 0:
        raise InvalidInputError(
            f"phase {name!r} is the first; there is no phase before it to merge it into",
            where="target",
        )
    before = methodology.phases[i - 1]
    into = methodology.gate_leaving(before.name)
    out = methodology.gate_leaving(name)
    if into is not None and out is None:
        raise InvalidInputError(
            f"phase {name!r} has no gate after it to take gate {into.name!r}'s criteria; "
            "it cannot be merged",
            where="target",
        )
    merged = PmoPhase(
        name=before.name,
        summary=before.summary,
        artifacts=_unique([*before.artifacts, *methodology.phases[i].artifacts]),
    )
    phases = (*methodology.phases[: i - 1], merged, *methodology.phases[i + 1 :])
    gates: list[PmoGate] = []
    for gate in methodology.gates:
        if gate is into:
            continue
        if gate is out:
            carried = into.criteria if into is not None else ()
            gate = gate.model_copy(
                update={"leaving": before.name, "criteria": _merge_criteria(carried, gate.criteria)}
            )
        gates.append(gate)
    return _rebuild(methodology, phases=phases, gates=tuple(gates))


def _merge_criteria(
    first: Iterable[PmoGateCriterion], second: Iterable[PmoGateCriterion]
) -> tuple[PmoGateCriterion, ...]:
    # A criterion both gates ask for is checked once, at the stricter level.
    out: dict[str, PmoGateCriterion] = {}
    for criterion in (*first, *second):
        seen = out.get(criterion.name)
        if seen is None or (seen.level == "should" and criterion.level == "must"):
            out[criterion.name] = criterion
    return tuple(out.values())


def _unique(names: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(names))


def _rebuild(methodology: PmoMethodology, **changes: object) -> PmoMethodology:
    # Validated again, so a tailored methodology is as consistent as a registered one.
    data = {f: getattr(methodology, f) for f in type(methodology).model_fields}
    data.update(changes)
    return PmoMethodology.model_validate(data)
