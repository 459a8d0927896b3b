"""The PMO's own records: maturity assessments and their recommendations, stakeholder
survey responses and the satisfaction they add up to, and the PMO's cost."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from .._domain import Assessment, PmoCost, SurveyResponse
from .._errors import InvalidInputError, NotFoundError, validation_message
from .._maturity import (
    DIMENSIONS,
    QUESTIONNAIRE_VERSION,
    AssessmentResult,
    Recommendation,
    check_answers,
    choose_profile,
    install_command,
    plan_for,
    score_answers,
)
from .._satisfaction import SatisfactionScore, satisfaction_scores
from .records import validated

if TYPE_CHECKING:
    from .._workspace import Workspace

_SURVEY_COLUMNS = ("on", "group", "respondent", "score", "about", "comment")


class OfficeService:
    """Assesses the PMO, records survey responses and the PMO's cost, and reads them."""

    def __init__(self, ws: Workspace) -> None:
        self._ws = ws

    # ------------------------------------------------------------------ assessments

    def assess(
        self,
        answers: Mapping[str, Any],
        *,
        on: date | None,
        note: str,
        dry_run: bool,
        where: str,
    ) -> AssessmentResult:
        """See :meth:`Workspace.assess <pmo_core.Workspace.assess>`."""
        ws = self._ws
        day = on or ws.today()
        if day > ws.today():
            raise InvalidInputError(f"{day} is after the status date {ws.today()}", where="--on")
        checked = check_answers(answers, where=where)
        scores = score_answers(checked)
        assessment = validated(
            Assessment,
            {
                "taken_on": day,
                "actor": ws.actor,
                "questionnaire": QUESTIONNAIRE_VERSION,
                "answers": checked,
                "levels": scores.levels,
                "overall": scores.overall,
                "note": note,
            },
            where="--comment",
        )
        earlier = [a for a in self.assessments() if a.taken_on <= day]
        previous = earlier[0] if earlier else None
        if not dry_run:
            assessment = ws.add(assessment, command="assess")
        return self.result(assessment, previous)

    def result(self, assessment: Assessment, previous: Assessment | None) -> AssessmentResult:
        """An assessment with the change since ``previous`` and its recommendations now."""
        changes = {
            dim: (
                None
                if previous is None or dim not in previous.levels
                else assessment.levels[dim] - previous.levels[dim]
            )
            for dim in DIMENSIONS
        }
        return AssessmentResult(
            assessment=assessment,
            previous=previous,
            changes=changes,
            recommendations=tuple(self.recommend(assessment)),
        )

    def assessments(self) -> list[Assessment]:
        """See :meth:`Workspace.assessments <pmo_core.Workspace.assessments>`."""
        found = self._ws.view().records(Assessment)
        found.sort(key=lambda a: (a.taken_on, a.id), reverse=True)
        return found

    def find(self, ref: str) -> AssessmentResult:
        """The assessment ``ref`` (id or 4+ leading characters; ``latest``), with the one
        before it."""
        every = self.assessments()
        ref = ref.strip()
        if ref == "latest":
            if not every:
                raise NotFoundError("no assessment yet: run pmo assess")
            index = 0
        else:
            if len(ref) < 4:
                raise InvalidInputError("give at least 4 characters of the id", where="ID")
            hits = [n for n, a in enumerate(every) if a.id.startswith(ref)]
            if not hits:
                raise NotFoundError(f"no assessment {ref!r}")
            if len(hits) > 1:
                raise InvalidInputError(
                    f"{ref!r} matches {len(hits)} assessments; give more of the id", where="ID"
                )
            index = hits[0]
        previous = every[index + 1] if index + 1 < len(every) else None
        return self.result(every[index], previous)

    def recommend(self, assessment: Assessment) -> list[Recommendation]:
        """The plugins, governance model, methodology and profile an assessment calls for,
        checked against what is installed and enabled."""
        from .plugins import fresh_resolver, profiles

        scores = score_answers(check_answers(assessment.answers, where="assessment"))
        plan = plan_for(scores, assessment.answers)
        resolver = fresh_resolver()
        installed = {entry.id for entry in resolver.installed()}
        enabled = set(self._ws.config.enabled)
        out: list[Recommendation] = []
        for plugin, reason in plan.plugins.items():
            here = plugin in installed
            out.append(
                Recommendation(
                    kind="plugin",
                    name=plugin,
                    reason=reason,
                    installed=here,
                    enabled=plugin in enabled,
                    install=None if here else install_command(plugin),
                )
            )
        config = self._ws.config
        if plan.governance_model is not None:
            model, reason = plan.governance_model
            out.append(
                Recommendation(
                    kind="governance_model",
                    name=model,
                    reason=reason,
                    installed="governance" in installed,
                    enabled=config.governance_model == model,
                    install=None if "governance" in installed else install_command("governance"),
                )
            )
        methodology = plan.methodology[0] if plan.methodology else None
        if plan.methodology is not None:
            name, reason = plan.methodology
            out.append(
                Recommendation(
                    kind="methodology",
                    name=name,
                    reason=reason,
                    installed=name in installed,
                    enabled=config.methodology == name,
                    install=None if name in installed else install_command(name),
                )
            )
        model_name = plan.governance_model[0] if plan.governance_model else None
        chosen = choose_profile(profiles(self._ws.environ), model_name, methodology)
        if chosen is not None:
            profile, why = chosen
            out.append(
                Recommendation(
                    kind="profile",
                    name=profile.name,
                    reason=f"the installed profile closest to this assessment: {why}",
                )
            )
        return out

    def apply(self, recommendations: Iterable[Recommendation], comment: str) -> list[str]:
        """See :meth:`Workspace.apply_recommendations
        <pmo_core.Workspace.apply_recommendations>`."""
        from .._config import restore_config, write_workspace_defaults

        ws = self._ws
        recs = list(recommendations)
        path = ws.config.path
        if path is None or not path.is_file():
            # An in-memory workspace: nothing to enable plugins in.
            raise InvalidInputError("applying needs a workspace with a pmo.toml")
        plugins = [r.name for r in recs if r.kind == "plugin" and r.installed and not r.enabled]
        done: list[str] = []
        if plugins:
            added = ws.enable(*plugins, comment=comment)
            done += [f"enabled plugin {p}" for p in added]
        enabled = set(ws.config.enabled)
        model = next(
            (
                r.name
                for r in recs
                if r.kind == "governance_model" and r.installed and not r.enabled
            ),
            None,
        )
        if model is not None and "governance" not in enabled:
            model = None  # the model lives in a plugin that is not enabled
        methodology = next(
            (
                r.name
                for r in recs
                if r.kind == "methodology" and r.installed and not r.enabled and r.name in enabled
            ),
            None,
        )
        if model is not None or methodology is not None:
            before = write_workspace_defaults(path, governance_model=model, methodology=methodology)
            try:
                ws.reload()
            except BaseException:
                restore_config(path, before)
                ws.reload()
                raise
            if model is not None:
                done.append(f"set governance_model = {model}")
            if methodology is not None:
                done.append(f"set methodology = {methodology}")
        return done

    # --------------------------------------------------------------------- surveys

    def record_survey(
        self, responses: Iterable[Mapping[str, Any] | SurveyResponse]
    ) -> list[SurveyResponse]:
        """See :meth:`Workspace.record_survey <pmo_core.Workspace.record_survey>`."""
        rows: list[tuple[str, Mapping[str, Any] | SurveyResponse]] = [
            (f"response {n}", r) for n, r in enumerate(responses, 1)
        ]
        return self._store_responses(rows)

    def import_survey(self, path: str | Path) -> list[SurveyResponse]:
        """See :meth:`Workspace.import_survey <pmo_core.Workspace.import_survey>`."""
        path = Path(path)
        name = path.name
        try:
            with path.open(encoding="utf-8-sig", newline="") as f:
                reader = csv.DictReader(f)
                header = reader.fieldnames or []
                unknown = [c for c in header if c not in _SURVEY_COLUMNS]
                if unknown:
                    raise InvalidInputError(
                        f"unknown column {unknown[0]!r} (columns: {', '.join(_SURVEY_COLUMNS)})",
                        where=f"{name}:1",
                    )
                for needed in ("on", "group", "score"):
                    if needed not in header:
                        raise InvalidInputError(f"no {needed!r} column", where=f"{name}:1")
                rows: list[tuple[str, Mapping[str, Any] | SurveyResponse]] = [
                    (
                        f"{name}:{reader.line_num}",
                        {k: v for k, v in row.items() if k is not None and v not in (None, "")},
                    )
                    for row in reader
                ]
        except OSError as exc:
            raise InvalidInputError(f"cannot read it: {exc.strerror or exc}", where=name) from None
        except UnicodeDecodeError:
            raise InvalidInputError("not UTF-8 text", where=name) from None
        if not rows:
            raise InvalidInputError("no responses in the file", where=name)
        return self._store_responses(rows)

    def _store_responses(
        self, rows: list[tuple[str, Mapping[str, Any] | SurveyResponse]]
    ) -> list[SurveyResponse]:
        ws = self._ws
        today = ws.today()
        checked: list[SurveyResponse] = []
        problems: list[InvalidInputError] = []
        keys = {e.id for e in ws.view().entities(include_archived=True)}
        for where, row in rows:
            try:
                response = (
                    row
                    if isinstance(row, SurveyResponse)
                    else SurveyResponse.model_validate(dict(row))
                )
            except ValidationError as exc:
                problems.append(InvalidInputError(validation_message(exc), where=where))
                continue
            if response.on > today:
                problems.append(
                    InvalidInputError(
                        f"on: {response.on} is after the status date {today}", where=where
                    )
                )
                continue
            if response.about is not None and response.about not in keys:
                problems.append(
                    InvalidInputError(
                        f"about: no portfolio, program or project {response.about!r}", where=where
                    )
                )
                continue
            checked.append(response)
        if problems:
            if len(problems) == 1:
                raise problems[0]
            raise InvalidInputError(
                f"{len(problems)} responses are invalid; nothing was recorded",
                where=problems[0].where,
                problems=tuple(problems),
            )
        return ws.add_many(checked, command="survey record")

    def responses(
        self, *, group: str | None, start: date | None, end: date | None
    ) -> list[SurveyResponse]:
        """See :meth:`Workspace.survey_responses <pmo_core.Workspace.survey_responses>`."""
        found = [
            r
            for r in self._ws.view().records(SurveyResponse)
            if (group is None or r.group == group)
            and (start is None or r.on >= start)
            and (end is None or r.on <= end)
        ]
        found.sort(key=lambda r: (r.on, r.group, r.id))
        return found

    def satisfaction(
        self, by: str, *, start: date | None, end: date | None
    ) -> list[SatisfactionScore]:
        """See :meth:`Workspace.satisfaction <pmo_core.Workspace.satisfaction>`."""
        return satisfaction_scores(self.responses(group=None, start=start, end=end), by)

    # ---------------------------------------------------------------------- cost

    def add_cost(self, data: Mapping[str, Any]) -> PmoCost:
        """See :meth:`Workspace.add_pmo_cost <pmo_core.Workspace.add_pmo_cost>`."""
        cost = validated(PmoCost, data, where="office-cost")
        return self._ws.add(cost, command="office-cost add")

    def costs(self, *, start: date | None, end: date | None) -> list[PmoCost]:
        """See :meth:`Workspace.pmo_costs <pmo_core.Workspace.pmo_costs>`."""
        found = [
            c
            for c in self._ws.view().records(PmoCost)
            if (start is None or c.end >= start) and (end is None or c.start <= end)
        ]
        found.sort(key=lambda c: (c.start, c.end, c.id))
        return found
