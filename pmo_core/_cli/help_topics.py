"""``pmo help``: the help topics (exit codes, environment, configuration, formats, global
options) and ``pmo help COMMAND ...``, the same as ``pmo COMMAND ... --help``.

The topic texts live here only: ``pmo help TOPIC`` prints them and the generated CLI reference
(``sdk_docs/reference/cli.md``) shows them. Click and the standard library only.
"""

from __future__ import annotations

import click

#: Topic name -> (one-line summary, text). The text is plain, for a terminal of 80 columns.
TOPICS: dict[str, tuple[str, str]] = {
    "exit-codes": (
        "What each exit status of pmo means.",
        """\
Every error is one line on stderr, 'error: ...', naming the option, argument,
file:line:column or key at fault; --debug (or PMO_DEBUG=1) shows the traceback.

  0  success
  1  unexpected error (a bug, or a plugin that failed): run with --debug
  2  bad input: an unknown command or option, a bad value, a malformed file
  3  not found: no such workspace, entity, record, report or plugin
  4  conflict: the record changed since it was read, or it already exists
  5  blocked by governance: a rule at level 'block' refused the change
""",
    ),
    "environment": (
        "The environment variables pmo reads.",
        """\
PMO_WORKSPACE            The workspace directory (as -w DIR; default: the
                         nearest pmo.toml upward from the current directory).
PMO_USER                 Who is acting (as --as NAME; default: the login name).
PMO_STORE_URL            The store URL, overriding [workspace] store in pmo.toml.
PMO_DEBUG                Show tracebacks (as --debug).
PMO_STRICT               Fail when an enabled plugin fails to load (as --strict).
PMO_TRACE                Log every hook call with its duration (as --trace).
PMO_PLUGINS_ALLOW        Comma-separated plugin ids or distributions: only these
                         may load.
PMO_PLUGINS_DENY         Comma-separated plugin ids or distributions that never
                         load.
PMO_CACHE_DIR            Where caches live (the command list, plugin indexes).
PMO_NO_CACHE             Trust no cache: every command loads every plugin.
PMO_PREFLIGHT_CACHE_DIR  Where plugins' pre-flight verdicts live (default: the
                         cache directory).
PMO_<TABLE>_<FIELD>      A plugin's setting, e.g. PMO_CSV_DELIMITER for
                         [settings.csv] delimiter; PMO_RULES_<RULE>_<FIELD> for a
                         governance rule's (PMO_RULES_HIGH_RISKS_OWNED_SCORE).
PMO_TABLES               How tables print: 'aligned' (as on a terminal) or 'tsv'
                         (tab-separated, as in a pipe); default: by where stdout
                         goes. --limit keeps its own default (50 rows on a
                         terminal).
COLUMNS                  The width aligned tables fit (default: the terminal's).
NO_COLOR                 Set (to anything): never colour the output.
CLICOLOR_FORCE           Set (not 0): colour even when the output is no terminal.
_PMO_COMPLETE            Used by shell completion (see 'pmo completion --help').

Switches (PMO_DEBUG, PMO_STRICT, PMO_TRACE, PMO_NO_CACHE) are on when set to 1,
true, yes or on (any case).
""",
    ),
    "configuration": (
        "pmo.toml: the workspace's configuration file and its tables.",
        """\
A workspace is a directory with a pmo.toml; 'pmo init' writes one. Every key is
checked: an unknown one is an error naming its path.

  [workspace]
  name = "Acme PMO"
  store = "sqlite:///.pmo/pmo.db"   # relative paths: relative to pmo.toml
  currency = "EUR"                  # of new entities' money
  governance_model = "supportive"   # for entities that name none
  methodology = "stage-gate"        # for new projects
  lock_timeout = 900                # seconds a write waits for another one

  [plugins]
  enabled = ["governance", "reports"]   # 'pmo plugins enable|disable' edit it
  order = []                            # explicit load order; the rest by id
  strict = false                        # a failing plugin is an error

  [settings.csv]                        # a plugin's settings
  delimiter = ","

  [governance.rules.high-risks-owned]   # a rule's level and settings
  level = "block"
  score = 12
  [governance.rules.high-risks-owned.scopes.DIGITAL]   # for one scope
  level = "warn"

'pmo doctor' checks the file and lists the rule overrides in force; the
environment overrides settings (see 'pmo help environment').
""",
    ),
    "formats": (
        "Output formats: tables, --json, report formats, dates and money.",
        """\
Tables      On a terminal: aligned to its width (COLUMNS), the widest text
            columns elided with '...' (never the first column, numbers or
            dates), numbers, money and percentages right-aligned, at most 50
            rows unless --limit N (--limit 0: every row). In a pipe or a file:
            tab-separated (a header line, a line per row, an empty field for
            no value), every row. PMO_TABLES=aligned|tsv chooses either.
--json      Every list, show, check and report, and every command that writes
            (it prints the record written): keys are the domain field names, in
            a stable order, indented by 2; never limited.
Reports     'pmo report NAME SCOPE --format FORMAT' (md, json, html, ... per
            report: 'pmo report --list'); -o FILE writes to a file.
Dates       YYYY-MM-DD or 'today'; --as-of also takes YYYY-MM-DDTHH:MM.
            --status-date is the data date, --as-of what was known then.
Money       A decimal amount with its currency, never a float: '1200.50 EUR'
            in tables, {"amount": "1200.50", "currency": "EUR"} in JSON.
Colour      Only on a terminal; never with NO_COLOR, always with CLICOLOR_FORCE.
Text        Control and bidi-override characters from data are shown escaped.
""",
    ),
    "global-options": (
        "The options every command takes, before or after it.",
        """\
-w, --workspace DIR  The workspace (default: PMO_WORKSPACE, else the nearest
                     pmo.toml upward).
--json               Print JSON: handed to the command that runs, which must
                     have a --json option.
--debug              Show tracebacks instead of one-line errors.
--strict             Fail when any enabled plugin fails to load.
--trace              Log every hook call with its duration, on stderr.
--as NAME            Who is acting: recorded in the journal.

They are accepted before or after the command, at any depth, for plugin
commands too: 'pmo -w acme --json project list' and 'pmo project list -w acme
--json' are the same. Every spelling works (-w DIR, -wDIR, --workspace=DIR).
Only a word where an option may stand is taken: in --comment -w, '-w' is the
comment. A command's own option of the same name stays the command's (its own
-w/--workspace also names the workspace pmo uses to find it). Nothing after
'--' is touched.
""",
    ),
}

EPILOG = """\b
Exit codes: 0 ok, 1 unexpected, 2 bad input, 3 not found, 4 conflict,
5 blocked by governance ('pmo help exit-codes').
Environment: PMO_WORKSPACE (as -w), PMO_USER (as --as), NO_COLOR, CLICOLOR_FORCE
('pmo help environment'). Global options go before or after the command.
Help topics: 'pmo help'. Shell completion: 'pmo completion --help'."""


def topic_list() -> str:
    """The topics, one a line with its summary, as ``pmo help`` prints them."""
    width = max(len(name) for name in TOPICS)
    return "\n".join(f"  {name.ljust(width)}  {summary}" for name, (summary, _) in TOPICS.items())


@click.command(name="help", context_settings={"ignore_unknown_options": True})
@click.argument("words", nargs=-1)
@click.pass_context
def help_cmd(ctx: click.Context, words: tuple[str, ...]) -> None:
    """Show a help topic, or a command's help.

    With no argument, list the topics. 'pmo help COMMAND ...' is 'pmo COMMAND ... --help'.

    \b
    Examples:
      pmo help
      pmo help exit-codes
      pmo help environment
      pmo help project list
    """
    if not words:
        click.echo("Help topics ('pmo help TOPIC'):\n")
        click.echo(topic_list())
        click.echo("\nCommands: 'pmo --help'; a command's help: 'pmo help COMMAND ...'.")
        return
    if len(words) == 1 and words[0] in TOPICS:
        click.echo(TOPICS[words[0]][1], nl=False)
        return
    root = ctx.find_root()
    command: click.Command = root.command
    parent = root
    if isinstance(command, click.Group) and command.get_command(root, words[0]) is None:
        _unknown(root, command, words[0])
    for word in words:
        if not isinstance(command, click.Group):
            break
        _name, found, _rest = command.resolve_command(parent, [word])
        assert found is not None  # resolve_command fails on an unknown name
        parent = found.make_context(word, ["--help"], parent=parent, resilient_parsing=True)
        command = parent.command
    click.echo(parent.get_help())


def _unknown(root: click.Context, group: click.Group, word: str) -> None:
    """Fail when ``word`` is neither a topic nor a command, with the nearest of either."""
    import difflib

    try:
        group.resolve_command(root, [word])
        return  # a command after all (a plugin's, found only when asked for by name)
    except click.ClickException:
        pass
    names = [*TOPICS, *group.list_commands(root)]
    near = difflib.get_close_matches(word, names, n=1, cutoff=0.6)
    hint = f"; did you mean '{near[0]}'?" if near else ""
    raise click.UsageError(f"no such help topic or command '{word}'{hint}")
