"""Sample CSV files and helpers shared by the pmo-csv tests."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pmo_csv
from pydantic import BaseModel

from pmo_core import PmoCustomFields, Workspace, hookimpl

PORTFOLIOS = """\
key,name,description,sponsor,manager,status,currency,tier,tags
PF-DIG,Digital,Digital transformation,Dana Reyes,Kim Lee,on_track,EUR,1,strategy;digital
PF-OPS,Operations,Run the business,Sam Okafor,,not_started,EUR,2,
"""

PROGRAMS = """\
key,name,parent,sponsor,manager,status,planned_start,planned_finish,budget,currency
ERP,ERP renewal,PF-DIG,Dana Reyes,Lee Chan,at_risk,2025-01-06,2026-06-30,1200000,EUR
"""

PROJECTS = """\
key,name,parent,sponsor,manager,status,phase,planned_start,planned_finish,budget,currency,tier,methodology,tags,cf:acme.cost_centre
ALPHA,Alpha: finance core,ERP,Dana Reyes,Pat Diaz,on_track,scoping,2025-01-06,2025-12-19,250000,EUR,1,stage-gate,erp;finance,CC-104
BETA,Beta: data migration,ERP,Dana Reyes,Ravi Rao,at_risk,,2025-03-03,2025-09-30,120000 EUR,,2,,erp,
GAMMA,Gamma: office move,PF-OPS,Sam Okafor,,not_started,,2025-05-01,2025-08-29,40000,USD,3,,,CC-200
"""  # noqa: E501 - realistic rows are wider than a code line

WORK_ITEMS = """\
key,project,subject,type,status,assignee,start,due,work,percent_complete,budget,actual_cost
A-1,ALPHA,Requirements,task,closed,Pat Diaz,2025-01-06,2025-02-28,160,100,30000,28500
A-2,ALPHA,Ledger build,task,in progress,Ana Ruiz,2025-03-03,2025-07-31,800,40,120000,52000
B-1,BETA,Data mapping,task,open,Ravi Rao,2025-03-03,2025-04-30,240,75,36000 EUR,30000 EUR
G-1,GAMMA,Floor plan,task,open,,2025-05-01,2025-05-30,40,0,5000,
"""


class AcmeFields(BaseModel):
    cost_centre: str


class AcmePlugin:
    """A custom-field namespace ``acme`` for projects, as an org plugin would register."""

    @hookimpl
    def pmo_custom_fields(self) -> Iterator[PmoCustomFields]:
        yield PmoCustomFields(name="acme", kinds=("project",), model=AcmeFields)


def write_dir(root: Path, **files: str) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (root / f"{name}.csv").write_text(text, encoding="utf-8")
    return root


def make_workspace() -> Workspace:
    return Workspace.in_memory(
        plugins={"csv": pmo_csv, "acme": AcmePlugin()}, today=lambda: date(2025, 4, 15)
    )
