"""Markdown templates of the PRINCE2 management products, with the headings a board expects.

Each template starts with a title and an identification block, then the sections the product
holds; guidance is in HTML comments, so a rendered document shows only what the author wrote.
"""

from __future__ import annotations

_HEADER = """\
# {title}: <project name>

| | |
|---|---|
| Project | <key and name> |
| Executive | <name> |
| Project manager | <name> |
| Version / date | <0.1, YYYY-MM-DD> |
| {when}
"""


def _product(title: str, when: str, body: str) -> str:
    return _HEADER.format(title=title, when=when) + "\n" + body


BUSINESS_CASE = _product(
    "Business case",
    "Approved at | authorise the project; reviewed at every stage boundary |",
    """\
## Executive summary
<!-- The case in a few lines: why, what it costs, what it returns. -->

## Reasons
<!-- The problem or opportunity, and the corporate objectives it serves. -->

## Business options
<!-- Do nothing, do the minimum, do something: each with costs and benefits. -->

## Expected benefits
<!-- Measurable benefits, their baseline, when they are realised, who owns them. -->

## Expected dis-benefits

## Timescale
<!-- Project timescale and the period over which benefits are realised. -->

## Costs
<!-- Project costs and ongoing operations and maintenance costs. -->

## Investment appraisal
<!-- Net present value, payback, return on investment, sensitivity. -->

## Major risks
""",
)

PROJECT_BRIEF = _product(
    "Project brief",
    "Approved at | authorise initiation |",
    """\
## Project definition
### Background
### Objectives
<!-- Time, cost, quality, scope, risk and benefit objectives. -->
### Desired outcomes
### Scope and exclusions
### Constraints and assumptions
### Tolerances
<!-- The project-level tolerances set by corporate or programme management. -->
### Interfaces

## Outline business case
<!-- Why the project is needed, the option chosen, the expected benefits. -->

## Project product description
<!-- The customer's quality expectations and the acceptance criteria. -->

## Project approach

## Project management team structure and role descriptions
<!-- Executive, senior user, senior supplier, project manager, project assurance. -->

## References
""",
)

PROJECT_INITIATION_DOCUMENTATION = _product(
    "Project initiation documentation (PID)",
    "Approved at | authorise the project |",
    """\
## Project definition
<!-- As in the project brief, refined during initiation. -->

## Project approach

## Business case
<!-- Reference the approved business case. -->

## Project management team structure and role descriptions

## Quality management approach

## Change control approach

## Risk management approach

## Communication management approach

## Project plan
<!-- Reference the approved project plan. -->

## Project controls
<!-- Stages, tolerances per level, reporting (highlight every N days), exception process. -->

## Tailoring of PRINCE2
""",
)

PROJECT_PLAN = _product(
    "Project plan",
    "Approved at | authorise the project; updated at every stage boundary |",
    """\
## Plan description

## Plan prerequisites

## External dependencies

## Planning assumptions

## Lessons incorporated

## Monitoring and control

## Budgets
<!-- Time and cost, change budget, risk budget. -->

## Tolerances
<!-- Time, cost, scope, quality, risk and benefit tolerances of the project. -->

## Product descriptions

## Schedule
<!-- Management stages and their end dates. -->
""",
)

STAGE_PLAN = _product(
    "Stage plan",
    "Approved at | the stage boundary before the stage |",
    """\
## Stage
<!-- Which management stage (e.g. delivery-2) and its start and end dates. -->

## Plan description

## Plan prerequisites and external dependencies

## Planning assumptions

## Lessons incorporated

## Monitoring and control
<!-- Checkpoints, the highlight report cadence. -->

## Budget

## Stage tolerances
<!-- Time, cost, scope, quality and risk tolerances delegated by the project board. -->

## Product descriptions and work packages

## Schedule
""",
)

EXCEPTION_PLAN = _product(
    "Exception plan",
    "Approved at | the board's response to an exception |",
    """\
## Exception
<!-- The exception report it answers and the option the board chose. -->

## Plan description
<!-- What replaces the stage plan (or the project plan) from now to its end. -->

## Revised budget and schedule

## Revised tolerances

## Impact on the business case

## Lessons incorporated
""",
)

RISK_REGISTER = _product(
    "Risk register",
    "Kept from | initiation to closure |",
    """\
## Risks

| id | raised | category | description | probability | impact | proximity | response | owner |
|---|---|---|---|---|---|---|---|---|
| | | | | | | | | |
""",
)

ISSUE_REGISTER = _product(
    "Issue register",
    "Kept from | initiation to closure |",
    """\
## Issues
<!-- Requests for change, off-specifications, problems and concerns. -->

| id | type | raised | raised by | description | priority | severity | status | closed |
|---|---|---|---|---|---|---|---|---|
| | | | | | | | | |
""",
)

QUALITY_REGISTER = _product(
    "Quality register",
    "Kept from | initiation to closure |",
    """\
## Quality activities

| id | product | method | producer | reviewers | planned | actual | result | records |
|---|---|---|---|---|---|---|---|---|
| | | | | | | | | |
""",
)

LESSONS_LOG = _product(
    "Lessons log",
    "Kept from | starting up to closure |",
    """\
## Lessons

| id | type | description | cause | effect | recommendation | raised by | date | priority |
|---|---|---|---|---|---|---|---|---|
| | | | | | | | | |

<!-- Include lessons from earlier projects looked up while starting up. -->
""",
)

DAILY_LOG = _product(
    "Daily log",
    "Kept by | the project manager, every day |",
    """\
## Entries

| date | problem, action, event or comment | person responsible | target date | results |
|---|---|---|---|---|
| | | | | |
""",
)

HIGHLIGHT_REPORT = _product(
    "Highlight report",
    "Sent to | the project board, at the cadence the stage plan sets |",
    """\
## Date and period

## Status summary

## This reporting period
### Work packages and products completed
### Products in progress
### Corrective actions taken

## Next reporting period
### Work packages and products to be completed
### Corrective actions planned

## Project and stage tolerance status
<!-- Time, cost, scope, risk: within or forecast to exceed. -->

## Requests for change

## Key issues and risks

## Lessons report (if any)
<!-- `pmo report prince2-highlight KEY` generates this report from the project's data. -->
""",
)

CHECKPOINT_REPORT = _product(
    "Checkpoint report",
    "Sent to | the project manager by the team manager, per work package |",
    """\
## Date and period

## Follow-ups from previous reports

## This reporting period
### Products being developed and completed
### Quality management activities
### Lessons identified

## Next reporting period

## Work package tolerance status

## Issues and risks
""",
)

END_STAGE_REPORT = _product(
    "End stage report",
    "Approved at | the stage boundary at the end of the stage |",
    """\
## Project manager's report
<!-- The stage's performance against its plan. -->

## Review of the business case

## Review of the objectives
<!-- Time, cost, quality, scope, benefits and risk against their tolerances. -->

## Review of the stage performance
<!-- Products completed, quality activities, approval records. -->

## Review of the team performance

## Review of products
<!-- Off-specifications, phased handover, follow-on actions. -->

## Lessons report (if any)

## Issues and risks

## Forecast for the project and the next stage
""",
)

EXCEPTION_REPORT = _product(
    "Exception report",
    "Sent to | the project board when a tolerance is forecast to be exceeded |",
    """\
## Exception title

## Cause of the exception
<!-- Which tolerance, by how much, and why. `pmo exception list` has the figures. -->

## Consequences of the deviation
<!-- For the stage, the project, the business case, the corporate or programme level. -->

## Options
<!-- Each option with its effect on the business case, risks and tolerances. -->

## Recommendation

## Lessons
""",
)

END_PROJECT_REPORT = _product(
    "End project report",
    "Approved at | authorise project closure |",
    """\
## Project manager's report

## Review of the business case
<!-- Benefits achieved so far, residual benefits, the benefits review plan. -->

## Review of the objectives
<!-- Time, cost, quality, scope, benefits and risk against the PID. -->

## Review of the team performance

## Review of products
<!-- Quality records, approval records, off-specifications, handover. -->

## Lessons report
""",
)

LESSONS_REPORT = _product(
    "Lessons report",
    "Approved at | authorise project closure (or at a stage end) |",
    """\
## Executive summary

## Scope of the report

## Review of what went well, what went badly and recommendations
<!-- Method, tools, abnormal events, estimates against actuals. -->

## Measures
<!-- Effort, quality (defects found and fixed), estimation accuracy. -->

## Recommendations for corporate, programme or project management standards
""",
)
