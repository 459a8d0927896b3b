"""``pmo portfolio|program|project``: create, list, show, update and archive entities.

The three groups are built by one factory; they differ only in the kind they handle.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

import click

from .._text import escape_controls
from ._colours import ColourReader, Colours
from ._dates import dated, dated_view
from ._output import (
    echo_json,
    limit_option,
    limited,
    money_text,
    options_named,
    renamed_option,
    workspace,
)
from ._params import DATE, MONEY, ChoiceType, IntType, parse_fields
from ._record_json import record_json
from ._tables import echo_table, kv_lines

if TYPE_CHECKING:
    from .._domain import Entity
    from .._view import WorkspaceView
    from .._workspace import Workspace

# The health a user sets; on_hold, finished and discontinued follow the lifecycle.
STATUSES = ("not_started", "on_track", "at_risk", "off_track")
# Spelled out, not imported: help must not load the domain models (a test keeps them equal).
LIFECYCLES = ("proposed", "active", "on_hold", "killed", "closed")

# option name -> Entity field; an empty value clears the field (except name).
_FIELD_OPTIONS: tuple[tuple[str, str], ...] = (
    ("name", "name"),
    ("parent", "parent"),
    ("sponsor", "sponsor"),
    ("manager", "manager"),
    ("budget", "budget"),
    ("currency", "currency"),
    ("start", "planned_start"),
    ("finish", "planned_finish"),
    ("phase", "phase"),
    ("status", "status"),
    ("tier", "tier"),
    ("methodology", "methodology"),
    ("governance_model", "governance_model"),
    ("description", "description"),
)
_CLEARABLE = ("parent", "sponsor", "manager", "phase", "methodology", "governance_model")
# Entity field -> the option (or argument) that sets it, to name it in an error.
_OPTION_OF = {
    "id": "KEY",
    "tags": "--tag",
    "custom_fields": "--field",
    **{field: "--" + option.replace("_", "-") for option, field in _FIELD_OPTIONS},
}


def _field_options(create: bool) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The options for an entity's fields (shared by create and update)."""
    clear = "" if create else " An empty value clears it."
    options = [
        click.option("--name", required=create, help="Display name."),
        click.option("--parent", help=f"Key of the parent (portfolio, program or project).{clear}"),
        click.option("--sponsor", help=f"The accountable sponsor.{clear}"),
        click.option("--manager", help=f"The manager.{clear}"),
        click.option("--budget", type=MONEY, help='Budget at completion, e.g. "250000 EUR".'),
        click.option("--currency", help="ISO currency code (default: the workspace's)."),
        click.option("--start", type=DATE, help="Planned start (YYYY-MM-DD)."),
        click.option("--finish", type=DATE, help="Planned finish (YYYY-MM-DD)."),
        click.option("--phase", help=f"Lifecycle phase from the methodology.{clear}"),
        click.option("--status", type=ChoiceType(STATUSES), help="Health / state."),
        click.option("--tier", type=IntType(1, 3), help="1 (largest, most governed) to 3."),
        click.option("--methodology", help=f"Methodology name, e.g. stage-gate.{clear}"),
        click.option(
            "--governance-model",
            help=f"Governance model for this scope (supportive, controlling, directive).{clear}",
        ),
        click.option("--description", help="Free text."),
        click.option(
            "--field",
            "fields",
            multiple=True,
            metavar="NS.KEY=VALUE",
            help="A custom field. VALUE keeps the type the plugin declares for the field "
            "(a text field stays text: code=104 is '104'); for a field with no declared "
            "type, VALUE is JSON if it parses (104, true, [1,2]), else text. Repeatable.",
        ),
        click.option("--tag", "tags", multiple=True, help="A tag. Repeatable."),
    ]

    def apply(f: Callable[..., Any]) -> Callable[..., Any]:
        for option in reversed(options):
            f = option(f)
        return f

    return apply


def _changes(options: dict[str, Any], *, create: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for option, field in _FIELD_OPTIONS:
        value = options.get(option)
        if value is None:
            continue
        if isinstance(value, str) and value.strip() == "" and option in _CLEARABLE:
            if create:
                continue
            value = None
        out[field] = value
    if options.get("tags"):
        out["tags"] = tuple(options["tags"])
    return out


def _text_fields(ws: Any) -> Callable[[str, str], bool]:
    """Whether a custom field is declared as text by its plugin's model (then ``--field``
    keeps VALUE as typed instead of reading it as JSON)."""
    from .._records import PmoCustomFields

    models = {r.name: r.model for r in ws.host.records(PmoCustomFields)}

    def is_text(namespace: str, key: str) -> bool:
        model = models.get(namespace)
        info = model.model_fields.get(key) if model is not None else None
        return info is not None and _text_type(info.annotation)

    return is_text


def _text_type(annotation: Any) -> bool:
    """``str``, or ``str | None``: a field whose only text-like type is text."""
    import typing

    if annotation is str:
        return True
    args = typing.get_args(annotation)
    return bool(args) and str in args and all(a in (str, type(None)) for a in args)


def _of_kind(view: WorkspaceView, kind: str, key: str) -> Entity:
    from .._errors import NotFoundError

    entity = view.find(key)
    if entity is None:
        raise view.not_found(key, kind)
    if entity.kind != kind:
        raise NotFoundError(
            f"{key!r} is a {entity.kind}, not a {kind} (try 'pmo {entity.kind} ...')"
        )
    return entity


def _creation_notes(ws: Workspace, entity: Entity) -> list[str]:
    """The findings of the rules that speak when an entity is created (``on_create``), as
    notes under the ``Created`` line: advice given when it is most useful."""
    from .._records.governance import PmoGovernanceRule

    speaking = {r.name for r in ws.host.records(PmoGovernanceRule) if r.on_create}
    if not speaking:
        return []
    return [
        f"note: {f.rule} [{f.level}]: {escape_controls(f.message)}"
        for f in ws.check(entity.id)
        if f.rule in speaking and not f.passed
    ]


def _summary_line(entity: Entity, verb: str) -> str:
    line = f"{verb} {entity.kind} {entity.id} ({entity.name}), version {entity.version}"
    return escape_controls(line)


def _details(view: WorkspaceView, entity: Entity, colours: Colours) -> dict[str, Any]:
    latest = view.latest_status(entity.id)
    open_items = view.raid(entity.id, open_only=True)
    counts: dict[str, int] = {}
    for item in open_items:
        counts[item.type] = counts.get(item.type, 0) + 1
    return {
        **entity.to_document(every_field=True),
        "version": entity.version,
        "children": [c.id for c in view.children(entity.id)],
        "latest_status": latest.to_document(every_field=True) if latest else None,
        **colours.as_dict(),
        "open_raid": counts,
        "open_high_risks": sum(1 for i in open_items if i.type == "risk" and i.is_high),
    }


def _lifecycle_text(details: dict[str, Any]) -> str:
    """``killed since 2025-03-02 by kim: No market``: the state with who, when and why."""
    state = str(details.get("lifecycle") or "active")
    on, by, reason = (details.get(f"lifecycle_{k}") for k in ("on", "by", "reason"))
    text = state + (f" since {on}" if on else "") + (f" by {by}" if by else "")
    return text + (f": {reason}" if reason else "")


def _show(details: dict[str, Any], business_case: bool) -> None:
    budget = details.get("budget")
    pairs: list[tuple[str, Any]] = [
        ("key", details["id"]),
        ("kind", details["kind"]),
        ("name", details["name"]),
        ("parent", details.get("parent")),
        ("status", details.get("status")),
        ("lifecycle", _lifecycle_text(details)),
        ("phase", details.get("phase")),
        ("sponsor", details.get("sponsor")),
        ("manager", details.get("manager")),
        ("budget", f"{float(budget['amount']):,.2f} {budget['currency']}" if budget else None),
        (
            "planned",
            f"{details.get('planned_start') or '?'} .. {details.get('planned_finish') or '?'}",
        ),
        ("methodology", details.get("methodology")),
        ("governance model", details.get("governance_model")),
        ("tier", details.get("tier")),
        ("business case", "approved" if business_case else "not approved"),
        ("version", details["version"]),
    ]
    if details.get("description"):
        pairs.append(("description", details["description"]))
    if details.get("tags"):
        pairs.append(("tags", ", ".join(details["tags"])))
    for ns, values in (details.get("custom_fields") or {}).items():
        for key, value in values.items():
            pairs.append((f"{ns}.{key}", value))
    if details.get("archived"):
        pairs.append(("archived", True))
    if details["children"]:
        pairs.append(("children", ", ".join(details["children"])))
    latest = details["latest_status"]
    if latest:
        dims = ", ".join(f"{k} {v}" for k, v in latest.get("dimensions", {}).items())
        pairs.append(
            (
                "latest status",
                f"{latest['overall']} as of {latest['as_of']}" + (f" ({dims})" if dims else ""),
            )
        )
        if latest.get("summary"):
            pairs.append(("  summary", latest["summary"]))
    else:
        pairs.append(("latest status", "none reported"))
    pairs.append(
        (
            "reported",
            f"{details['reported']} as of {details['reported_on']}"
            if details["reported"]
            else None,
        )
    )
    pairs.append(("computed", details["computed"]))
    for melon in details["watermelons"]:
        pairs.append(("watermelon", melon["message"]))
    raid = details["open_raid"]
    pairs.append(("open RAID", ", ".join(f"{n} {t}" for t, n in sorted(raid.items())) or "none"))
    pairs.append(("open high risks", details["open_high_risks"]))
    click.echo(kv_lines(pairs))


def make_group(kind: str) -> click.Group:
    """Build the ``pmo <kind>`` group."""
    plural = {"portfolio": "portfolios", "program": "programs", "project": "projects"}[kind]
    sample = {"portfolio": "PF", "program": "ERP", "project": "ALPHA"}[kind]
    parent_hint = {"portfolio": "", "program": " --parent PF", "project": " --parent ERP"}[kind]
    computed_help = (
        "the overall colour of the metrics service (the worst of the SPI and CPI colours)"
        if kind == "project"
        else "the overall colour of its live projects' totals (the worst of the SPI and CPI "
        "colours of the summed figures; when none can be summed, the worst project's)"
    )

    @click.group(
        name=kind,
        help=f"""Create, list, show, update and archive {plural}.

    \b
    Examples:
      pmo {kind} create {sample} --name "..."{parent_hint} --budget "250000 EUR"
      pmo {kind} list --json
      pmo {kind} show {sample}
      pmo {kind} update {sample} --status at_risk
      pmo {kind} archive {sample}
    """,
    )
    def group() -> None:
        pass

    @group.command(
        "create",
        help=f"""Create a {kind} with key KEY (letters, digits, '.', '_', '-').

    A new {kind} is active unless created --proposed: an idea not yet authorised, which
    its first gate's go (or an approved move to active) makes active. Nothing is written
    when a value is invalid.

    \b
    Examples:
      pmo {kind} create {sample} --name "Sample {kind}"{parent_hint} \\
          --sponsor "Dana Lee" --budget "250000 EUR" --start 2025-01-06 --finish 2025-12-19
      pmo {kind} create {sample}2 --name "With a custom field" --field finance.cost_centre=CC-104
      pmo {kind} create {sample}3 --name "An idea" --proposed
    """,
    )
    @click.argument("key")
    @_field_options(create=True)
    @click.option("--proposed", is_flag=True, help="Create it proposed, not yet authorised.")
    @click.option("--json", "as_json", is_flag=True, help="Print the created record as JSON.")
    @click.pass_context
    def create(
        ctx: click.Context,
        /,
        key: str,
        fields: tuple[str, ...],
        proposed: bool,
        as_json: bool,
        **options: Any,
    ) -> None:
        ws = workspace(ctx)
        data = _changes(options, create=True)
        if proposed:
            data["lifecycle"] = "proposed"
        custom = parse_fields(fields, text=_text_fields(ws))
        if custom:
            data["custom_fields"] = custom
        with options_named(_OPTION_OF):
            entity = ws.create(kind, id=key, **data)
        if as_json:
            echo_json(record_json(entity))
        else:
            click.echo(_summary_line(entity, "Created"))
            for line in _creation_notes(ws, entity):
                click.echo(line)

    @group.command(
        "list",
        help=f"""List {plural} with their reported and computed colours.

    Archived ones are listed with --archived. The lifecycle column says which are live (active,
    on_hold), proposed, killed or closed: killed and closed ones are out of every roll-up's
    totals, proposed ones wait beside them (see 'pmo report'). REPORTED is the overall
    colour of the latest status report up to --status-date; COMPUTED is {computed_help}
    on --status-date. WATERMELON names each dimension reported better than computed
    (--json: "watermelons", with the figures). --as-of lists them as known then. Only the
    rows printed are measured.

    \b
    Examples:
      pmo {kind} list
      pmo {kind} list --under PF --json
      pmo {kind} list --status-date 2025-03-31
      pmo {kind} list --as-of 2025-04-02
    """,
    )
    @click.option("--under", metavar="KEY", help="Only those below this entity.")
    @renamed_option(
        "--archived", "include_archived", is_flag=True, old="--all", help="Include archived ones."
    )
    @dated()
    @limit_option
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @click.pass_context
    def list_cmd(
        ctx: click.Context,
        under: str | None,
        include_archived: bool,
        limit: int | None,
        as_json: bool,
    ) -> None:
        view = dated_view(ctx)
        if under:
            view.entity(under)  # NotFoundError names an unknown key
        entities = limited(
            view.entities(kind, under=under, include_archived=include_archived),
            limit,
            as_json=as_json,
        )
        colours = ColourReader(view).many(entities)
        if as_json:
            echo_json(
                [
                    {
                        **e.to_document(every_field=True),
                        "version": e.version,
                        **colours[e.id].as_dict(),
                    }
                    for e in entities
                ]
            )
            return
        rows = [
            [
                e.id,
                e.name,
                e.parent,
                e.phase,
                e.status,
                e.lifecycle,
                colours[e.id].reported,
                colours[e.id].computed,
                colours[e.id].marker,
                e.sponsor,
                e.manager,
                money_text(e.budget),
                e.planned_finish,
            ]
            + ([e.archived] if include_archived else [])
            for e in entities
        ]
        echo_table(
            [
                "key",
                "name",
                "parent",
                "phase",
                "status",
                "lifecycle",
                "reported",
                "computed",
                "watermelon",
                "sponsor",
                "manager",
                "budget",
                "finish",
            ]
            + (["archived"] if include_archived else []),
            rows,
            empty=f"No {plural}"
            + (f" under {under}" if under else "")
            + f" (create one: pmo {kind} create KEY --name ...).",
        )

    @group.command(
        "show",
        help=f"""Show a {kind}: its fields, latest status and open RAID counts.

    The latest status and the open RAID items are those up to --status-date; --as-of
    shows the {kind} as known then. Beside the reported colour (with its date) is the
    computed one, {computed_help} on --status-date, and a line per dimension reported
    better than computed (a watermelon), with the figures.

    \b
    Examples:
      pmo {kind} show {sample}
      pmo {kind} show {sample} --json
      pmo {kind} show {sample} --status-date 2025-03-31 --as-of 2025-04-02
    """,
    )
    @click.argument("key")
    @dated()
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @click.pass_context
    def show(ctx: click.Context, key: str, as_json: bool) -> None:
        view = dated_view(ctx)
        entity = _of_kind(view, kind, key)
        details = _details(view, entity, ColourReader(view).colours(entity))
        if as_json:
            echo_json(details)
        else:
            # Approved by its field or, as the governance rules read it, by its artifact.
            approved = bool(details.get("business_case_approved")) or view.artifact_approved(
                entity.id, "business-case"
            )
            _show(details, approved)

    @group.command(
        "update",
        help=f"""Change fields of a {kind}; only the options given change.

    With --expected-version, the update fails (exit 4) if someone changed the {kind}
    since you read that version. Nothing is written when a value is invalid.

    --lifecycle moves the {kind} through its life (proposed, active, on_hold, killed,
    closed) as a decision of the governance model's approval matrix: give --comment (why),
    the --approver(s) it needs (none given: you, 'pmo --as NAME', approve), and to close,
    at least one --lesson. Killed is final: only an approved move back to proposed revives
    it. A closed {kind} is read-only.

    \b
    Examples:
      pmo {kind} update {sample} --status at_risk --manager "Sam Roe"
      pmo {kind} update {sample} --sponsor "" --expected-version 3
      pmo {kind} update {sample} --field finance.capex=true
      pmo {kind} update {sample} --lifecycle on_hold --comment "Vendor dispute" --approver Dana
      pmo {kind} update {sample} --lifecycle closed --comment Done --lesson "Book vendors early"
    """,
    )
    @click.argument("key")
    @_field_options(create=False)
    @click.option(
        "--lifecycle",
        type=ChoiceType(LIFECYCLES),
        help="Move to this lifecycle state (a decision: needs --comment and approvers).",
    )
    @click.option(
        "--approver",
        "approvers",
        multiple=True,
        metavar="NAME",
        help="With --lifecycle: an approver, 'Name' or 'Name (role)'. Repeatable.",
    )
    @click.option("--comment", default="", help="With --lifecycle: why.")
    @click.option(
        "--lesson",
        "lessons",
        multiple=True,
        metavar="TEXT",
        help="With --lifecycle closed: a lesson learned. Repeatable.",
    )
    @click.option(
        "--on", "on", type=DATE, help="With --lifecycle: when it was decided (default today)."
    )
    @click.option(
        "--expected-version", type=IntType(1), help="Fail unless this is the stored version."
    )
    @click.option("--json", "as_json", is_flag=True, help="Print the updated record as JSON.")
    @click.pass_context
    def update(
        ctx: click.Context,
        /,
        key: str,
        fields: tuple[str, ...],
        lifecycle: str | None,
        approvers: tuple[str, ...],
        comment: str,
        lessons: tuple[str, ...],
        on: date | None,
        expected_version: int | None,
        as_json: bool,
        **options: Any,
    ) -> None:
        from .._errors import InvalidInputError

        ws = workspace(ctx)
        if lifecycle is not None:
            if fields or _changes(options, create=False) or expected_version is not None:
                raise InvalidInputError(
                    "--lifecycle is a decision of its own: give it without other changes",
                    where="--lifecycle",
                )
            _of_kind(ws.view(), kind, key)
            entity = ws.change_lifecycle(
                key, lifecycle, approvers=approvers, comment=comment, on=on, lessons=lessons
            )
            _echo_entity(entity, f"Made {lifecycle}:", as_json)
            return
        stray = [
            name
            for name, given in (
                ("--approver", approvers),
                ("--comment", comment),
                ("--lesson", lessons),
                ("--on", on),
            )
            if given
        ]
        if stray:
            raise InvalidInputError(f"{stray[0]} goes with --lifecycle", where=stray[0])
        changes = _changes(options, create=False)
        if "name" in changes and not str(changes["name"]).strip():
            raise InvalidInputError("a name cannot be empty", where="--name")
        current = _of_kind(ws.view(), kind, key)
        custom = parse_fields(fields, text=_text_fields(ws))
        if custom:
            merged = {ns: dict(values) for ns, values in current.custom_fields.items()}
            for ns, values in custom.items():
                merged.setdefault(ns, {}).update(values)
            changes["custom_fields"] = merged
            # The merge was made on what was read: refuse to overwrite a newer version.
            if expected_version is None:
                expected_version = current.version
        if "budget" in changes and "currency" not in changes:
            changes["currency"] = changes["budget"].currency
        if not changes:
            raise InvalidInputError("nothing to change: give at least one option (see --help)")
        with options_named(_OPTION_OF, key=key):
            entity = ws.update(key, expected_version=expected_version, **changes)
        _echo_entity(entity, "Updated", as_json)

    @group.command(
        "archive",
        short_help=f"Archive a {kind} (hidden from lists, kept in the store).",
        help=f"""Archive a {kind}: hidden from lists, kept in the store and the journal.

    \b
    Examples:
      pmo {kind} archive {sample}
      pmo {kind} list --archived
      pmo {kind} unarchive {sample}
    """,
    )
    @click.argument("key")
    @click.option(
        "--expected-version", type=IntType(1), help="Fail unless this is the stored version."
    )
    @click.option("--json", "as_json", is_flag=True, help=f"Print the archived {kind} as JSON.")
    @click.pass_context
    def archive(ctx: click.Context, key: str, expected_version: int | None, as_json: bool) -> None:
        ws = workspace(ctx)
        _of_kind(ws.view(), kind, key)
        _echo_entity(ws.archive(key, expected_version=expected_version), "Archived", as_json)

    @group.command(
        "unarchive",
        short_help=f"Bring an archived {kind} back into the lists.",
        help=f"""Bring an archived {kind} back into the lists, as it was when archived.

    One under an archived parent cannot come back alone: unarchive the parent first.

    \b
    Examples:
      pmo {kind} list --archived
      pmo {kind} unarchive {sample}
    """,
    )
    @click.argument("key")
    @click.option(
        "--expected-version", type=IntType(1), help="Fail unless this is the stored version."
    )
    @click.option("--json", "as_json", is_flag=True, help=f"Print the {kind} as JSON.")
    @click.pass_context
    def unarchive(
        ctx: click.Context, key: str, expected_version: int | None, as_json: bool
    ) -> None:
        ws = workspace(ctx)
        _of_kind(ws.view(), kind, key)
        _echo_entity(ws.unarchive(key, expected_version=expected_version), "Unarchived", as_json)

    return group


def _echo_entity(entity: Entity, verb: str, as_json: bool) -> None:
    if as_json:
        echo_json(record_json(entity))
    else:
        click.echo(_summary_line(entity, verb))


portfolio = make_group("portfolio")
program = make_group("program")
project = make_group("project")
