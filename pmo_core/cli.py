"""The output helpers of ``pmo``'s own commands, for plugin commands to look and behave the
same: tables, JSON, ``--limit``, renamed options, colour, dates and money as option types.

A plugin's command (yielded by :func:`~pmo_core.hookspecs.pmo_cli_commands`) prints through
these so that its tables, ``--json``, escaping of control characters and colour rules are
the core's (the conventions are on the CLI reference page). A table is aligned to the
terminal's width on a terminal and tab-separated in a pipe (``PMO_TABLES=aligned|tsv``
chooses). Importing this module is light (click only): a plugin may import it at the top of
its command module.

Example::

    import click

    from pmo_core import current_workspace
    from pmo_core.cli import echo_json, echo_table, limit_option, limited

    @click.command("owners")
    @limit_option
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    def owners(limit, as_json):
        \"\"\"List the projects with their sponsors.\"\"\"
        projects = limited(current_workspace().view().projects(), limit, as_json=as_json)
        if as_json:
            echo_json([{"id": p.id, "sponsor": p.sponsor} for p in projects])
            return
        echo_table(["key", "sponsor"], [[p.id, p.sponsor] for p in projects],
                   empty="No projects.")
"""

from __future__ import annotations

from ._cli._output import echo_json as echo_json
from ._cli._output import echo_line as echo_line
from ._cli._output import limit_option as limit_option
from ._cli._output import limited as limited
from ._cli._output import money_text as money_text
from ._cli._output import paint as paint
from ._cli._output import renamed_option as renamed_option
from ._cli._output import use_colour as use_colour
from ._cli._params import DATE as DATE
from ._cli._params import MONEY as MONEY
from ._cli._params import DateType as DateType
from ._cli._params import MoneyType as MoneyType
from ._cli._record_json import record_json as record_json
from ._cli._tables import echo_table as echo_table
from ._cli._tables import kv_lines as kv_lines
from ._cli._tables import table as table
from ._cli.progress import ProgressBar as ProgressBar

__all__ = [
    "DATE",
    "MONEY",
    "DateType",
    "MoneyType",
    "ProgressBar",
    "echo_json",
    "echo_line",
    "echo_table",
    "kv_lines",
    "limit_option",
    "limited",
    "money_text",
    "paint",
    "record_json",
    "renamed_option",
    "table",
    "use_colour",
]
