"""The PMO maturity questionnaire, how answers are scored, and what they recommend.

Our own questionnaire (version :data:`QUESTIONNAIRE_VERSION`), in the spirit of P3M3 and OPM3
but written for pmo-core: five questions in each of five dimensions (governance, methodology
and standards, performance tracking, resources and portfolio, knowledge and review), each
answered with one of five statements that describe levels 1 (initial, ad hoc) to 5
(optimising), and one question on how teams deliver, which is not scored but picks the
methodology to recommend.

Scoring (:func:`score_answers`): a dimension's level is the mean of its five answers rounded
down (2.8 is level 2: a level is reached when the practices reach it on average, not by one
strong answer); the overall level is the lowest dimension level, as in P3M3's staircase: a
PMO is as mature as its weakest dimension.

Recommendations (:func:`recommend`) name plugins, a governance model, a methodology and a
profile, each with the reason: the dimension levels and answers that led to it.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._errors import InvalidInputError

if TYPE_CHECKING:
    from ._domain import Assessment

#: The version of the questionnaire stored with every assessment.
QUESTIONNAIRE_VERSION = "1"

#: What each level means, 1 to 5.
LEVEL_NAMES: dict[int, str] = {
    1: "initial",
    2: "repeatable",
    3: "defined",
    4: "managed",
    5: "optimising",
}

#: The five dimensions, in the order they are asked and shown, with their titles.
DIMENSIONS: dict[str, str] = {
    "governance": "Governance",
    "methodology": "Methodology and standards",
    "performance": "Performance tracking",
    "resources": "Resources and portfolio",
    "knowledge": "Knowledge and review",
}

#: The answers of the delivery question, and the methodology plugin each one picks.
DELIVERY_METHODOLOGY: dict[str, str] = {
    "predictive": "stage-gate",
    "prince2": "prince2",
    "scrum": "scrum",
    "kanban": "kanban",
    "mixed": "hybrid",
}


@dataclass(frozen=True)
class Question:
    """One question of the maturity questionnaire.

    ``options`` are the answers a user chooses from: for a scored question (``dimension``
    set) five statements, the first describing level 1 and the last level 5, answered with
    the level; for the delivery question (``dimension`` ``None``) words, answered with one
    of ``choices``.

    Example::

        q = question("gov-1")
        q.dimension, q.text, q.options[0]   # ('governance', 'Who decides ...', '...')
    """

    id: str
    dimension: str | None
    text: str
    options: tuple[str, ...]
    choices: tuple[str, ...] = ()


def _q(qid: str, dimension: str, text: str, *options: str) -> Question:
    assert len(options) == 5, qid
    return Question(qid, dimension, text, options)


#: The questions, in the order they are asked.
QUESTIONS: tuple[Question, ...] = (
    _q(
        "gov-1",
        "governance",
        "Who decides whether a project starts, continues or stops?",
        "Whoever has budget decides, informally and case by case.",
        "Large projects go to a sponsor; the way it is done depends on the sponsor.",
        "A documented decision process with named authorities applies to every project.",
        "Decisions follow the process and are checked against criteria and recorded.",
        "Decision rights are reviewed and tuned from how past decisions turned out.",
    ),
    _q(
        "gov-2",
        "governance",
        "Are there gates between the phases of a project?",
        "No gates: projects run until they end.",
        "Some projects hold reviews at key points, when someone asks for one.",
        "Every project passes defined gates with must and should criteria.",
        "Gate criteria are checked from project data; deviations need a waiver.",
        "Gate criteria are refined from what gates let through that later failed.",
    ),
    _q(
        "gov-3",
        "governance",
        "How are tolerances and escalation handled?",
        "Problems are escalated when someone notices them.",
        "Project managers escalate big overruns to their sponsor.",
        "Tolerances on cost and time are set per level, with an escalation path.",
        "Forecasts are measured against tolerances and breaches escalate automatically.",
        "Tolerances are tuned per tier from the escalations they caused.",
    ),
    _q(
        "gov-4",
        "governance",
        "How is the PMO's authority defined?",
        "The PMO has no defined authority.",
        "The PMO advises; its role is understood but not written down.",
        "The PMO's role and the rules it enforces are written and agreed.",
        "The PMO enforces its rules and reports compliance to the board.",
        "The PMO's mandate is reviewed yearly against the value it delivered.",
    ),
    _q(
        "gov-5",
        "governance",
        "Who approves changes to scope, budget or dates?",
        "Changes happen without approval.",
        "Big changes are approved by the sponsor by e-mail.",
        "An approval matrix says who approves which size of change.",
        "Every change request is logged, assessed and approved per the matrix.",
        "The approval matrix is adjusted from the history of change requests.",
    ),
    _q(
        "met-1",
        "methodology",
        "Is there a standard way of running projects?",
        "Each project manager works their own way.",
        "Good practices are shared, but their use depends on the team.",
        "A documented methodology is used by every project.",
        "Use of the methodology is checked, and tailoring is recorded.",
        "The methodology is improved from lessons and measured results.",
    ),
    _q(
        "met-2",
        "methodology",
        "Are there templates for the management products?",
        "No templates.",
        "Some templates exist, copied from project to project.",
        "A standard set of templates is published and used.",
        "Required artifacts are checked at gates before approval.",
        "Templates are revised from reviews of their use.",
    ),
    _q(
        "met-3",
        "methodology",
        "How are roles and responsibilities on projects defined?",
        "Roles are unclear.",
        "Sponsor and project manager are named on large projects.",
        "Standard roles are defined for every project.",
        "Role assignments are recorded and checked before decisions.",
        "Role definitions are adjusted from how projects performed.",
    ),
    _q(
        "met-4",
        "methodology",
        "How are plans and baselines kept?",
        "Plans live in people's heads or ad hoc files.",
        "Most projects have a schedule, rarely a baseline.",
        "Every project baselines its plan before execution.",
        "Progress is measured against the baseline and rebaselining is controlled.",
        "Planning accuracy is tracked and fed back into estimating.",
    ),
    _q(
        "met-5",
        "methodology",
        "How are risks, issues and decisions managed?",
        "They are handled as they come, not written down.",
        "Larger projects keep a risk list.",
        "Every project keeps a RAID log in a standard form.",
        "RAID logs are reviewed on a cadence and high risks escalate.",
        "Risk responses are evaluated and the approach is improved.",
    ),
    _q(
        "perf-1",
        "performance",
        "How do projects report their status?",
        "Status is reported when asked for.",
        "Most projects send a status report, in their own format.",
        "Every project reports on a set cadence in a standard format.",
        "Reported status is checked against the project's own figures.",
        "Reporting is tuned to what its readers use for decisions.",
    ),
    _q(
        "perf-2",
        "performance",
        "How is cost tracked?",
        "Cost is known only when finance closes the year.",
        "Actual costs are collected for large projects.",
        "Budget and actual cost are tracked for every project.",
        "Earned value (CPI, EAC) is measured and used for forecasts.",
        "Forecast accuracy is measured and estimating improves from it.",
    ),
    _q(
        "perf-3",
        "performance",
        "How is schedule performance tracked?",
        "Lateness is discovered at the deadline.",
        "Milestone dates are watched on large projects.",
        "Every project tracks milestones against its plan.",
        "Schedule performance (SPI, earned schedule) is measured.",
        "Schedule forecasts are checked against outcomes and improved.",
    ),
    _q(
        "perf-4",
        "performance",
        "Does the portfolio have a consolidated view?",
        "No: each project is seen on its own.",
        "A spreadsheet is compiled by hand now and then.",
        "A regular portfolio summary covers every project.",
        "Portfolio figures are computed from project data, not retyped.",
        "Portfolio reporting drives rebalancing decisions.",
    ),
    _q(
        "perf-5",
        "performance",
        "Are the PMO's own KPIs measured?",
        "No.",
        "Occasionally, when the PMO is questioned.",
        "A set of KPIs is defined and reported.",
        "KPIs are measured each period with targets.",
        "KPI results change how the PMO works.",
    ),
    _q(
        "res-1",
        "resources",
        "How are people assigned to projects?",
        "Whoever is free is asked.",
        "Managers negotiate assignments project by project.",
        "Assignments are planned per period for every project.",
        "Capacity and demand are compared before projects start.",
        "Capacity planning is improved from actual usage.",
    ),
    _q(
        "res-2",
        "resources",
        "How are projects selected and prioritised?",
        "First come, first served.",
        "The loudest sponsor wins, with some review of big ones.",
        "Projects are scored against strategic objectives.",
        "Selection is done across the portfolio within a budget.",
        "Selection criteria are revised from benefits realised.",
    ),
    _q(
        "res-3",
        "resources",
        "Where is project data kept?",
        "In each project manager's own files.",
        "In shared spreadsheets that are merged by hand.",
        "In standard tools, exported to the PMO regularly.",
        "In tools connected to the PMO and synchronised.",
        "Data quality is measured and the integrations improved.",
    ),
    _q(
        "res-4",
        "resources",
        "How are the portfolio's budgets managed?",
        "Each project has its own money, unconnected.",
        "Budgets are set yearly per project.",
        "Budgets are released stage by stage at gates.",
        "Budget is moved between projects on evidence.",
        "Funding rules are refined from portfolio results.",
    ),
    _q(
        "res-5",
        "resources",
        "How are benefits tracked?",
        "Benefits are not tracked.",
        "Expected benefits are written in business cases.",
        "Benefits are measured at project closure.",
        "Benefits are measured after closure against the business case.",
        "Benefit results change how projects are selected.",
    ),
    _q(
        "kno-1",
        "knowledge",
        "Are lessons learned recorded?",
        "No.",
        "Sometimes, at the end of big projects.",
        "Every project records lessons at each stage and at closure.",
        "Lessons are searched when new projects start.",
        "Lessons change standards, templates and rules.",
    ),
    _q(
        "kno-2",
        "knowledge",
        "Are projects reviewed after they end?",
        "No.",
        "Large failures are reviewed.",
        "Every project has a closure review.",
        "Closure reviews compare outcomes with the baseline.",
        "Review findings are tracked to changes in practice.",
    ),
    _q(
        "kno-3",
        "knowledge",
        "How are project managers trained?",
        "They learn on the job.",
        "Some attend courses of their own choice.",
        "A training path exists for project roles.",
        "Training needs are set from assessed competence.",
        "Training is evaluated by its effect on projects.",
    ),
    _q(
        "kno-4",
        "knowledge",
        "How does the PMO learn what its stakeholders think of it?",
        "It does not ask.",
        "Through occasional conversations.",
        "Through a regular satisfaction survey.",
        "Survey results are tracked per stakeholder group over time.",
        "Survey results drive changes to the PMO's services.",
    ),
    _q(
        "kno-5",
        "knowledge",
        "How often does the PMO assess its own maturity?",
        "Never.",
        "Once, when it was set up.",
        "Periodically, with a standard questionnaire.",
        "Periodically, with targets per dimension.",
        "Assessments drive a planned roadmap of improvements.",
    ),
    Question(
        "delivery",
        None,
        "How do most teams deliver their work?",
        (
            "predictive: plan up front, phases and gates",
            "prince2: PRINCE2 stages under a project board",
            "scrum: sprints with a product backlog",
            "kanban: continuous flow with WIP limits",
            "mixed: gates at portfolio level, agile teams inside",
        ),
        tuple(DELIVERY_METHODOLOGY),
    ),
)

_BY_ID: dict[str, Question] = {q.id: q for q in QUESTIONS}


def question(qid: str) -> Question:
    """The question ``qid``; :class:`~pmo_core.NotFoundError`-like InvalidInputError if none.

    Example::

        question("gov-1").dimension  # 'governance'
    """
    try:
        return _BY_ID[qid]
    except KeyError:
        raise InvalidInputError(f"no question {qid!r}", where=qid) from None


# ----------------------------------------------------------------------------- answers


def check_answers(answers: Mapping[str, Any], where: str = "answers") -> dict[str, int | str]:
    """``answers`` checked against the questionnaire: every question answered, each scored
    one with a whole number 1 to 5, the delivery question with one of its words. The first
    problem is an :class:`~pmo_core.InvalidInputError` naming the question.

    Example::

        check_answers({"gov-1": 2, ..., "delivery": "scrum"})
    """
    for key in answers:
        if key not in _BY_ID:
            raise InvalidInputError(
                f"unknown question id {key!r} (questions: {QUESTIONS[0].id} to "
                f"{QUESTIONS[-2].id}, delivery)",
                where=f"{where}: {key}",
            )
    checked: dict[str, int | str] = {}
    for q in QUESTIONS:
        if q.id not in answers:
            raise InvalidInputError(f"question {q.id} is not answered", where=f"{where}: {q.id}")
        value = answers[q.id]
        if q.dimension is None:
            if not isinstance(value, str) or value.strip().lower() not in q.choices:
                raise InvalidInputError(
                    f"{value!r} is not one of {', '.join(q.choices)}", where=f"{where}: {q.id}"
                )
            checked[q.id] = value.strip().lower()
            continue
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidInputError(
                f"{value!r} is a {type(value).__name__}: answer with a whole number 1 to 5",
                where=f"{where}: {q.id}",
            )
        if not 1 <= value <= 5:
            raise InvalidInputError(
                f"{value} is out of range: answer with a level 1 to 5", where=f"{where}: {q.id}"
            )
        checked[q.id] = value
    return checked


def read_answers(path: str | Path) -> dict[str, int | str]:
    """Read an answers file, TOML (``.toml``) or JSON (``.json``): one key per question id,
    its value the level chosen (1 to 5) or, for ``delivery``, the word; checked as
    :func:`check_answers` does.

    Example::

        # answers.toml
        #   gov-1 = 2
        #   ...
        #   delivery = "scrum"
        answers = read_answers("answers.toml")
    """
    path = Path(path)
    name = path.name
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InvalidInputError(f"cannot read it: {exc.strerror or exc}", where=name) from None
    suffix = path.suffix.lower()
    data: Any
    if suffix == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InvalidInputError(
                f"not JSON: {exc.msg}", where=f"{name}:{exc.lineno}:{exc.colno}"
            ) from None
    elif suffix == ".toml":
        if sys.version_info >= (3, 11):
            import tomllib
        else:  # pragma: no cover - exercised on 3.10 only
            import tomli as tomllib
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise InvalidInputError(f"not TOML: {exc}", where=name) from None
    else:
        raise InvalidInputError("an answers file is .toml or .json", where=name)
    if not isinstance(data, dict):
        raise InvalidInputError("the file holds one key per question id", where=name)
    return check_answers(data, where=name)


# ----------------------------------------------------------------------------- scoring


@dataclass(frozen=True)
class Scores:
    """The levels that answers reach: per dimension (``levels``) and ``overall``.

    Example::

        s = score_answers(answers)
        s.levels["governance"], s.overall, s.delivery
    """

    levels: dict[str, int]
    overall: int
    delivery: str


def dimension_level(values: Sequence[int]) -> int:
    """The level of one dimension: the mean of its answers rounded down (at least 1).

    Whole-number arithmetic, so a mean of exactly 3 is 3, never 2.999.

    Example::

        dimension_level([3, 3, 3, 3, 2])  # 2 (mean 2.8)
        dimension_level([3, 3, 3, 3, 3])  # 3
    """
    if not values:
        return 1
    return max(1, sum(values) // len(values))


def score_answers(answers: Mapping[str, int | str]) -> Scores:
    """The level per dimension and overall of checked answers (see :func:`check_answers`).

    Example::

        score_answers(answers).overall  # the lowest dimension level
    """
    levels = {
        dim: dimension_level([int(answers[q.id]) for q in QUESTIONS if q.dimension == dim])
        for dim in DIMENSIONS
    }
    return Scores(levels=levels, overall=min(levels.values()), delivery=str(answers["delivery"]))


# ----------------------------------------------------------------------- recommendations


@dataclass(frozen=True)
class Recommendation:
    """One next step an assessment recommends, with the reason.

    ``kind`` is ``plugin``, ``governance_model``, ``methodology`` or ``profile``; ``name``
    the plugin id, model, methodology or profile. ``installed`` says whether the plugin
    (or the plugin that brings the model, methodology or profile) is installed, ``enabled``
    whether it is enabled in the workspace already; ``install`` is the pip command that
    installs a plugin that is not.

    Example::

        rec = Recommendation(kind="plugin", name="scrum", reason="methodology level 2 ...",
                             installed=False, install="pip install pmo-scrum")
    """

    kind: str
    name: str
    reason: str
    installed: bool = True
    enabled: bool = False
    install: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON-able.

        Example::

            rec.as_dict()["reason"]  # 'methodology level 2 ...'
        """
        return {
            "kind": self.kind,
            "name": self.name,
            "reason": self.reason,
            "installed": self.installed,
            "enabled": self.enabled,
            "install": self.install,
        }


@dataclass(frozen=True)
class Plan:
    """What the recommendation rules want, before looking at what is installed: plugin ids
    (with reasons), a governance model and a methodology (each with a reason or ``None``)."""

    plugins: dict[str, str] = field(default_factory=dict)
    governance_model: tuple[str, str] | None = None
    methodology: tuple[str, str] | None = None


def _lvl(scores: Scores, dim: str) -> str:
    return f"{DIMENSIONS[dim].lower()} level {scores.levels[dim]}"


def plan_for(scores: Scores, answers: Mapping[str, int | str]) -> Plan:
    """The plugins, governance model and methodology that the levels call for.

    The rules, each stated in its reason:

    - governance plugin, always: every model is in it. Governance level 1-2: the
      ``supportive`` model (rules advise); 3: ``controlling`` (rules warn or block);
      4-5 with resources and portfolio level 4 or more: ``directive``; else controlling.
    - methodology level 2 or more: the methodology plugin of the delivery answer
      (predictive: stage-gate, prince2, scrum, kanban, mixed: hybrid), set as the default;
      level 1: none yet (standardise first).
    - reports, always: the status report to begin with (performance level 1-2), the
      portfolio summary and earned value once tracking is defined (3+).
    - csv when resources and portfolio level is 3 or less or the data answer (res-3) is 2
      or less: project data still lives in files and spreadsheets.

    Example::

        plan_for(score_answers(answers), answers).plugins  # {'governance': '...', ...}
    """
    plugins: dict[str, str] = {}
    gov = scores.levels["governance"]
    res = scores.levels["resources"]
    if gov <= 2:
        model = ("supportive", f"{_lvl(scores, 'governance')}: rules that advise, not block")
    elif gov >= 4 and res >= 4:
        model = (
            "directive",
            f"{_lvl(scores, 'governance')} and {_lvl(scores, 'resources')}: the PMO can "
            "direct the portfolio and approve gates",
        )
    else:
        model = (
            "controlling",
            f"{_lvl(scores, 'governance')}: rules that warn or block at gates"
            + (f" ({_lvl(scores, 'resources')}: not yet directive)" if gov >= 4 else ""),
        )
    plugins["governance"] = f"brings the {model[0]} governance model ({model[1]})"
    methodology: tuple[str, str] | None = None
    met = scores.levels["methodology"]
    if met >= 2:
        delivery = scores.delivery
        name = DELIVERY_METHODOLOGY[delivery]
        methodology = (
            name,
            f"{_lvl(scores, 'methodology')} and delivery answered {delivery!r}",
        )
        plugins[name] = f"the {name} methodology ({methodology[1]})"
    perf = scores.levels["performance"]
    if perf <= 2:
        plugins["reports"] = f"{_lvl(scores, 'performance')}: start with the project-status report"
    else:
        plugins["reports"] = (
            f"{_lvl(scores, 'performance')}: portfolio summary, earned value and the pmo-review"
        )
    data_answer = int(answers.get("res-3", 5))
    if res <= 3 or data_answer <= 2:
        plugins["csv"] = (
            f"{_lvl(scores, 'resources')}, project data answer (res-3) {data_answer}: "
            "bring spreadsheets in and out as CSV"
        )
    return Plan(plugins=plugins, governance_model=model, methodology=methodology)


@dataclass(frozen=True)
class AssessmentResult:
    """A maturity assessment with what it means: the change per dimension since the
    assessment before it (``changes``: ``None`` when there was none) and the
    recommendations (:class:`Recommendation`) as the workspace stands now.

    Example::

        result = ws.assess("answers.toml")
        result.assessment.levels, result.changes["governance"]  # ({'governance': 2, ...}, 0)
        [r.name for r in result.recommendations if r.kind == "plugin"]
    """

    assessment: Assessment
    previous: Assessment | None
    changes: dict[str, int | None]
    recommendations: tuple[Recommendation, ...]

    def as_dict(self) -> dict[str, Any]:
        """JSON-able, as ``pmo assess --json`` prints it.

        Example::

            json.dumps(result.as_dict())
        """
        a = self.assessment
        return {
            "id": a.id,
            "taken_on": a.taken_on.isoformat(),
            "actor": a.actor,
            "questionnaire": a.questionnaire,
            "overall": a.overall,
            "overall_name": LEVEL_NAMES[a.overall],
            "levels": [
                {
                    "dimension": dim,
                    "title": title,
                    "level": a.levels.get(dim),
                    "change": self.changes.get(dim),
                }
                for dim, title in DIMENSIONS.items()
            ],
            "previous": None
            if self.previous is None
            else {"id": self.previous.id, "taken_on": self.previous.taken_on.isoformat()},
            "answers": dict(a.answers),
            "note": a.note,
            "recommendations": [r.as_dict() for r in self.recommendations],
            "stored": a.version > 0,
        }


def install_command(plugin_id: str) -> str:
    """The pip command that installs a first-party plugin, by its id.

    Example::

        install_command("scrum")  # 'pip install pmo-scrum'
    """
    return f"pip install pmo-{plugin_id}"


def choose_profile(
    profiles: Iterable[Any], model: str | None, methodology: str | None
) -> tuple[Any, str] | None:
    """The installed profile (a :class:`~pmo_core.PmoProfile`) closest to the plan: the
    same governance model and methodology, else the same model; among equals the lowest
    ``rank``. ``None`` when none has the model.

    Example::

        choose_profile(profiles(), "controlling", "stage-gate")
    """
    ranked = sorted(profiles, key=lambda p: (p.rank, p.name))
    for p in ranked:
        if p.governance_model == model and p.methodology == methodology:
            return p, f"its governance model {model} and methodology {methodology} match"
    for p in ranked:
        if p.governance_model == model:
            return p, f"its governance model {model} matches (methodology {p.methodology})"
    return None


__all__ = [
    "DELIVERY_METHODOLOGY",
    "DIMENSIONS",
    "LEVEL_NAMES",
    "QUESTIONNAIRE_VERSION",
    "QUESTIONS",
    "AssessmentResult",
    "Plan",
    "Question",
    "Recommendation",
    "Scores",
    "check_answers",
    "choose_profile",
    "dimension_level",
    "install_command",
    "plan_for",
    "question",
    "read_answers",
    "score_answers",
]
