"""Markdown templates of the Scrum artifacts (Scrum Guide 2020) and their companions."""

from __future__ import annotations

PRODUCT_BACKLOG = """\
# Product backlog: <product>

## Product goal
<The one long-term objective the Scrum team plans against; 'pmo scrum update PROJECT
--product-goal'.>

## Items (ordered by the product owner)
| rank | story | value | points | notes |
|---|---|---|---|---|
| 1 | As a <user>, I want <capability> so that <benefit> | | | |

## Refinement
<When the backlog is refined; who takes part; how items are sized (story points).>
"""

SPRINT_BACKLOG = """\
# Sprint backlog: <sprint>

## Sprint goal
<Why this sprint is valuable; the single objective the developers commit to.>

## Selected items
| story | points | owner | notes |
|---|---|---|---|

## Plan for delivering the increment
<How the developers will turn the selected items into a done increment.>
"""

INCREMENT = """\
# Increment: <sprint>

## Definition of done
<The quality measures every item meets to be part of the increment ('pmo scrum update
PROJECT --definition-of-done').>

## Items done
| story | points | accepted by |
|---|---|---|

## Items not done (back to the product backlog)
| story | points | why |
|---|---|---|
"""

RELEASE_PLAN = """\
# Release plan: <release>

## Product goal and release scope
<What this release delivers toward the product goal.>

## Budget and sprints
| release budget (BAC) | planned sprints | sprint length | first sprint starts |
|---|---|---|---|

## Forecast
<Velocity assumed (average of the last sprints), points in scope, sprints needed.>
"""

SPRINT_REVIEW = """\
# Sprint review notes: <sprint>

## Sprint goal met?
<Yes / partly / no, and why.>

## Increment demonstrated
<What was shown; feedback from stakeholders.>

## Product backlog changes
<Items added, removed or re-ordered; the release forecast after this sprint.>
"""

SPRINT_RETROSPECTIVE = """\
# Sprint retrospective: <sprint>

## What went well

## What to improve

## Improvements we commit to (added to the next sprint backlog)
| improvement | owner |
|---|---|
"""
