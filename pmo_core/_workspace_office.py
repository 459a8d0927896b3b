"""The Workspace's PMO records: maturity assessments and their recommendations,
stakeholder survey responses and satisfaction, and the PMO's own cost. A part of
:class:`~pmo_core.Workspace` (which composes it); every method delegates to the office
service.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._domain import Assessment, PmoCost, SurveyResponse
    from ._maturity import AssessmentResult, Recommendation
    from ._satisfaction import SatisfactionScore
    from ._services.office import OfficeService


class OfficeAPI:
    """Assess the PMO's maturity, hear its stakeholders, and record what it costs."""

    if TYPE_CHECKING:

        @property
        def _office(self) -> OfficeService: ...

    def assess(
        self,
        answers: Mapping[str, Any] | str | Path,
        *,
        on: date | None = None,
        note: str = "",
        dry_run: bool = False,
    ) -> AssessmentResult:
        """Score a maturity self-assessment and store it (unless ``dry_run``).

        ``answers`` maps every question id of the questionnaire to the level chosen (1 to
        5), and ``delivery`` to how teams deliver (``predictive``, ``prince2``, ``scrum``,
        ``kanban`` or ``mixed``); or it is the path of an answers file (``.toml`` or
        ``.json``) that does. A missing, unknown or out-of-range answer is an
        :class:`~pmo_core.InvalidInputError` naming the question, and nothing is stored.
        The result holds the levels, the change since the assessment before and the
        recommendations (plugins, governance model, methodology, profile) with reasons.

        Example::

            result = ws.assess("answers.toml", note="After the first quarter")
            result.assessment.levels          # {'governance': 2, 'methodology': 2, ...}
            result.changes["governance"]      # 0: +1 would be a level up since the last one
            [r.name for r in result.recommendations if r.kind == "plugin"]
        """
        where = "answers"
        if isinstance(answers, (str, Path)):
            from ._maturity import read_answers

            where = Path(answers).name
            answers = read_answers(answers)
        return self._office.assess(answers, on=on, note=note, dry_run=dry_run, where=where)

    def assessments(self) -> list[Assessment]:
        """The stored maturity assessments, newest first.

        Example::

            latest = ws.assessments()[0]
            latest.taken_on, latest.overall  # (date(2025, 3, 31), 2)
        """
        return self._office.assessments()

    def assessment(self, ref: str = "latest") -> AssessmentResult:
        """One stored assessment (its id, 4+ leading characters of it, or ``latest``) with
        the change since the one before and its recommendations as the workspace stands.

        Example::

            ws.assessment("latest").recommendations
        """
        return self._office.find(ref)

    def apply_recommendations(
        self, recommendations: Iterable[Recommendation], *, comment: str = ""
    ) -> list[str]:
        """Enable the recommended plugins that are installed (as :meth:`enable` does) and set
        the recommended governance model and methodology as the workspace defaults in
        ``pmo.toml`` when their plugin is enabled. Returns what changed, one line each;
        recommendations of plugins that are not installed are left to the user.

        Example::

            result = ws.assess("answers.toml")
            ws.apply_recommendations(result.recommendations, comment="maturity review")
            # ['set governance_model = supportive']
        """
        return self._office.apply(recommendations, comment)

    def record_survey(
        self, responses: Iterable[Mapping[str, Any] | SurveyResponse]
    ) -> list[SurveyResponse]:
        """Record stakeholder-satisfaction responses, all or none: each a
        :class:`~pmo_core.SurveyResponse` or a mapping of its fields. Responses dated after
        the status date or about an entity that does not exist are refused, naming the
        response.

        Example::

            ws.record_survey([{"on": date(2025, 3, 31), "group": "sponsors", "score": 4},
                              {"on": date(2025, 3, 31), "group": "sponsors", "score": 3}])
        """
        return self._office.record_survey(responses)

    def import_survey(self, path: str | Path) -> list[SurveyResponse]:
        """Record the responses of a CSV file (columns ``on, group, score`` and optionally
        ``respondent, about, comment``), all or none; errors name ``file:line``.

        Example::

            Path("survey.csv").write_text("on,group,score\\n2025-03-31,sponsors,5\\n")
            ws.import_survey("survey.csv")
        """
        return self._office.import_survey(path)

    def survey_responses(
        self, *, group: str | None = None, start: date | None = None, end: date | None = None
    ) -> list[SurveyResponse]:
        """The survey responses (of one group, from ``start`` to ``end`` inclusive), oldest
        first.

        Example::

            ws.survey_responses(group="sponsors", start=date(2025, 1, 1))
        """
        return self._office.responses(group=group, start=start, end=end)

    def satisfaction(
        self, by: str = "group", *, start: date | None = None, end: date | None = None
    ) -> list[SatisfactionScore]:
        """The mean satisfaction score per stakeholder group (``by="group"``), per month
        (``"month"``) or per group and month (``"group-month"``).

        Example::

            for s in ws.satisfaction("month"):
                print(s.period, s.responses, s.mean)
        """
        return self._office.satisfaction(by, start=start, end=end)

    def add_pmo_cost(
        self,
        amount: Any,
        *,
        start: date,
        end: date,
        category: str = "staff",
        note: str = "",
    ) -> PmoCost:
        """Record what the PMO itself cost from ``start`` to ``end`` (``amount``: a Money or
        ``"45000 EUR"``; never negative).

        Example::

            ws.add_pmo_cost("45000 EUR", start=date(2025, 1, 1), end=date(2025, 3, 31),
                            category="staff", note="Two analysts")
        """
        return self._office.add_cost(
            {"amount": amount, "start": start, "end": end, "category": category, "note": note}
        )

    def pmo_costs(self, *, start: date | None = None, end: date | None = None) -> list[PmoCost]:
        """The PMO's cost entries whose period overlaps ``start`` to ``end``, oldest first.

        Example::

            total = Money.total([c.amount for c in ws.pmo_costs()], currency="EUR")
        """
        return self._office.costs(start=start, end=end)
