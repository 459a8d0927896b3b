"""``pmo survey``: stakeholder-satisfaction responses, and the score per group and period."""

from __future__ import annotations

from datetime import date

import click

from ._output import echo_json, echo_line, limit_option, limited, workspace
from ._params import DATE, IntType
from ._record_json import record_json
from ._tables import echo_table


@click.group()
def survey() -> None:
    """Record stakeholder-satisfaction survey responses and see the score per stakeholder
    group and per month: how the PMO's customers rate it (a KPI of pmo-review).

    \b
    Examples:
      pmo survey record --group sponsors --score 4 --respondent "Dana Ruiz" --on 2026-11-30
      pmo survey record --file survey-q4.csv
      pmo survey list --by group
      pmo survey list --by month --json
    """


@survey.command("record", short_help="Record one response, or every response of a CSV file.")
@click.option("--group", help="The stakeholder group, e.g. sponsors, 'project managers'.")
@click.option("--score", type=IntType(1, 5), help="Satisfaction, 1 (very low) to 5 (very high).")
@click.option("--respondent", default="", help="Who answered (leave out for anonymous).")
@click.option("--about", metavar="KEY", help="The portfolio, program or project it is about.")
@click.option("--on", type=DATE, help="When it was given (default today).")
@click.option("--comment", default="", help="What the respondent said.")
@click.option(
    "--file",
    "csv_file",
    type=click.Path(dir_okay=False),
    help="A CSV file of responses (columns on, group, score; optional respondent, about, "
    "comment): all are recorded or none.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the recorded responses as JSON.")
@click.pass_context
def record(
    ctx: click.Context,
    group: str | None,
    score: int | None,
    respondent: str,
    about: str | None,
    on: date | None,
    comment: str,
    csv_file: str | None,
    as_json: bool,
) -> None:
    """Record a survey response (--group and --score), or those of --file.

    Every row of a file is checked before any is recorded; errors name file:line.

    \b
    Examples:
      pmo survey record --group sponsors --score 4
      pmo survey record --group "project managers" --score 2 --comment "Too many templates"
      pmo survey record --file survey-q4.csv --json
    """
    from .._errors import InvalidInputError

    ws = workspace(ctx)
    if csv_file is not None:
        if group is not None or score is not None:
            raise InvalidInputError("give --file or --group and --score, not both", where="--file")
        stored = ws.import_survey(csv_file)
    else:
        if group is None:
            raise InvalidInputError("give --group (or --file)", where="--group")
        if score is None:
            raise InvalidInputError("give --score 1 to 5 (or --file)", where="--score")
        fields: dict[str, object] = {
            "group": group,
            "score": score,
            "respondent": respondent,
            "comment": comment,
            "on": on or ws.today(),
        }
        if about is not None:
            fields["about"] = about
        stored = ws.record_survey([fields])
    if as_json:
        echo_json([record_json(r) for r in stored])
        return
    if len(stored) == 1:
        r = stored[0]
        echo_line(f"Recorded response {r.id}: {r.group} scored {r.score} on {r.on}")
    else:
        echo_line(f"Recorded {len(stored)} responses")


@survey.command("list", short_help="List responses, or the score per group or month.")
@click.option(
    "--by",
    type=click.Choice(["group", "month", "group-month"]),
    help="Show the mean score per group, per month or per both instead of the responses.",
)
@click.option("--group", help="Only this stakeholder group.")
@click.option("--from", "start", type=DATE, help="From this day (inclusive).")
@click.option("--to", "end", type=DATE, help="To this day (inclusive).")
@limit_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def list_responses(
    ctx: click.Context,
    by: str | None,
    group: str | None,
    start: date | None,
    end: date | None,
    limit: int | None,
    as_json: bool,
) -> None:
    """List the survey responses, oldest first, or with --by the satisfaction score (the
    mean, 1 to 5) per stakeholder group, per month or per both.

    \b
    Examples:
      pmo survey list
      pmo survey list --by group --from 2026-01-01 --to 2026-12-31
      pmo survey list --by month --group sponsors --json
    """
    from .._satisfaction import satisfaction_scores

    ws = workspace(ctx)
    responses = ws.survey_responses(group=group, start=start, end=end)
    if by is not None:
        scores = limited(satisfaction_scores(responses, by), limit, as_json=as_json)
        if as_json:
            echo_json([s.as_dict() for s in scores])
            return
        echo_table(
            ["group", "month", "responses", "score"],
            [[s.group or "-", s.period or "-", s.responses, s.mean] for s in scores],
            empty="No survey responses.",
        )
        return
    found = limited(responses, limit, as_json=as_json)
    if as_json:
        echo_json([record_json(r) for r in found])
        return
    echo_table(
        ["id", "on", "group", "score", "respondent", "about", "comment"],
        [
            [r.id, r.on, r.group, r.score, r.respondent or "-", r.about or "-", r.comment]
            for r in found
        ],
        empty="No survey responses.",
    )
