"""Markdown templates of the stage-gate deliverables, with the headings a PMO expects.

Each template starts with a title and an identification block, then the sections a
gatekeeper reads; guidance is in HTML comments, so a rendered document shows only what the
author wrote.
"""

from __future__ import annotations

_HEADER = """\
# {title}: <project name>

| | |
|---|---|
| Project | <key and name> |
| Project leader | <name> |
| Sponsor | <name> |
| Version / date | <0.1, YYYY-MM-DD> |
| For gate | {gate} |
"""

IDEA_SUBMISSION = (
    _HEADER.format(title="Idea submission", gate="gate-1 (idea screen)")
    + """
## The idea
<!-- One paragraph: what would we make or change? -->

## Problem or opportunity
<!-- Who has the problem, how do we know, how big is it? -->

## Customers and market
<!-- Target customers, segment, first view of market size. -->

## Strategic fit
<!-- Which portfolio objective or strategy does it serve? -->

## First estimate of effort and cost for scoping
<!-- People, days and money needed to do the scoping stage. -->

## Submitted by
<!-- Name, team, date. -->
"""
)

PROJECT_BRIEF = (
    _HEADER.format(title="Project brief", gate="gate-2 (second screen)")
    + """
## Opportunity and objectives
<!-- The problem or opportunity and what success looks like (measurable). -->

## Scope
### In scope
### Out of scope

## Preliminary market assessment
<!-- Market size, competition, customer interest (desk research, a few interviews). -->

## Preliminary technical assessment
<!-- Feasibility, technical risks, make or buy, intellectual property. -->

## Preliminary business assessment
<!-- Rough revenue and cost, order-of-magnitude payback. -->

## Key risks and assumptions

## Plan and resources for the business-case stage
<!-- Who, how long, how much. -->
"""
)

BUSINESS_CASE = (
    _HEADER.format(title="Business case", gate="gate-3 (go to development)")
    + """
## Executive summary

## Background
<!-- The context, the problem or opportunity, and how the project was scoped. -->

## Strategic fit
<!-- Portfolio objectives served; alignment score if the portfolio uses one. -->

## Product definition
<!-- Target market, value proposition, positioning, features and requirements. -->

## Options
<!-- At least: do nothing, do the minimum, the recommended option. -->
| Option | Description | Cost | Benefits | Risk |
|---|---|---|---|---|
| 0 | Do nothing | | | |
| 1 | | | | |
| 2 | | | | |

## Recommended option and justification

## Benefits
<!-- Each benefit measurable, with an owner, a baseline, a target and a date;
     list dis-benefits too. -->
| Benefit | Measure | Baseline | Target | By | Owner |
|---|---|---|---|---|---|

## Costs
<!-- Development, launch and running costs per year; capex and opex. -->
| Cost item | Capex | Opex | Year 1 | Year 2 | Year 3 |
|---|---|---|---|---|---|

## Timescale
<!-- Stages and gates with dates; when benefits start. -->

## Risks
<!-- The major risks, probability x impact, response and owner. -->
| Risk | Probability (1-5) | Impact (1-5) | Response | Owner |
|---|---|---|---|---|

## Investment appraisal
<!-- Net present value (discount rate stated), internal rate of return, payback period,
     sensitivity of the result to the main assumptions. -->
| Measure | Value |
|---|---|
| NPV (at <rate> %) | |
| IRR | |
| Payback period | |

## Funding and stage release
<!-- Funding requested for the development stage only; later stages at later gates. -->

## Decision requested
<!-- Go / kill / hold / recycle, and the resources committed for the next stage. -->
"""
)

PROJECT_PLAN = (
    _HEADER.format(title="Project plan", gate="gate-3 (go to development)")
    + """
## Objectives and deliverables

## Scope and work breakdown
<!-- Top levels of the work breakdown structure. -->

## Schedule and milestones
| Milestone | Due | Owner |
|---|---|---|

## Budget by stage
| Stage | Budget | Funding released at |
|---|---|---|
| Development | | gate-3 |
| Testing and validation | | gate-4 |
| Launch | | gate-5 |

## Team, roles and resources
<!-- Project leader, core team, gatekeepers, time commitments. -->

## Risk and issue management
<!-- How risks are identified, scored, owned and reviewed. -->

## Quality and acceptance
<!-- Acceptance criteria and who accepts. -->

## Communication and reporting
<!-- Status report cadence, audiences, gate review dates. -->

## Baseline
<!-- The scope, schedule and cost baseline approved at gate 3 (baseline 0). -->
"""
)

TEST_PLAN = (
    _HEADER.format(title="Test plan", gate="gate-4 (go to testing)")
    + """
## Objectives
<!-- What must testing and validation prove before launch? -->

## Scope
<!-- Features, components and markets in and out of scope. -->

## Approach
<!-- In-house (lab) tests, customer field trials, trial production, test market. -->

## Environments and equipment

## Entry and exit criteria

## Schedule

## Responsibilities

## Defect management
<!-- Severity levels, triage, what blocks launch. -->

## Risks and contingencies
"""
)

TEST_REPORT = (
    _HEADER.format(title="Test and validation report", gate="gate-5 (go to launch)")
    + """
## Summary and recommendation

## Tests performed
| Test | Type (lab / field / market) | Date | Result |
|---|---|---|---|

## Results against acceptance criteria

## Open defects
| Defect | Severity | Plan |
|---|---|---|

## Customer and field feedback

## Updated financials
<!-- Revenue and cost forecast revised with what testing taught. -->
"""
)

LAUNCH_PLAN = (
    _HEADER.format(title="Launch plan", gate="gate-5 (go to launch)")
    + """
## Launch objectives and success measures

## Target market and positioning

## Pricing

## Channels and promotion

## Production and operations readiness
<!-- Capacity, supply chain, service and support readiness. -->

## Launch timeline
| Activity | Date | Owner |
|---|---|---|

## Launch budget

## Post-launch metrics
<!-- What the post-launch review will compare with the business case. -->

## Risks and contingency plans
"""
)

LAUNCH_REPORT = (
    _HEADER.format(title="Launch report", gate="post-launch-gate")
    + """
## Launch summary

## Results against the launch plan
| Measure | Plan | Actual |
|---|---|---|

## Issues during launch

## Handover to operations
<!-- Who owns the product now; open actions and their owners. -->

## Date of the post-launch review
"""
)

POST_LAUNCH_REVIEW = (
    _HEADER.format(title="Post-launch review", gate="(none: closes the project)")
    + """
## Summary

## Results against the business case
| Measure | Business case | Actual | Variance |
|---|---|---|---|
| Revenue | | | |
| Profit / margin | | | |
| Launch date | | | |
| Project cost | | | |

## Benefits realised and still expected
<!-- Each benefit from the business case: achieved, on track, at risk; owner. -->

## What went well

## What to improve
<!-- Lessons for the next project and for the stage-gate process itself. -->

## Recommendations
<!-- Continue, improve or withdraw the product; follow-on projects. -->

## Project closure
<!-- Team released, budget closed, records archived. -->
"""
)
