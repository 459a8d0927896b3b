"""Reading .mpp, .mpx, MSPDI, .xer and PMXML through MPXJ (the optional extra
``pmo-msproject[mpxj]``: the ``mpxj`` package and JPype, and a Java runtime).

The Java virtual machine starts once per process, the first time such a file is read; an
import of a native MSPDI file never starts it. MPXJ's project is copied into the same neutral
:class:`~pmo_msproject._plan.Plan` the native reader fills, so both map to the same items.
"""

from __future__ import annotations

import faulthandler
import importlib
import threading
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from pmo_core import ConnectorRequest, InvalidInputError, SourceItem

from ._plan import Plan, PlanBaseline, PlanLink, PlanResource, PlanTask, to_items

#: What to install when the extra or Java is missing.
INSTALL_HINT = (
    "install the extra with `pip install 'pmo-msproject[mpxj]'` and a Java runtime 11 or "
    "later (Debian/Ubuntu: `apt-get install default-jre-headless`); MSPDI .xml files need "
    "neither: import them with the `mspdi` connector"
)
# Minutes in one unit of an MPXJ lag, by TimeUnit name, and whether it counts calendar time.
_WORKING_UNITS = {"MINUTES": 1.0, "HOURS": 60.0}
_ELAPSED_UNITS = {
    "ELAPSED_MINUTES": 1.0,
    "ELAPSED_HOURS": 60.0,
    "ELAPSED_DAYS": 1440.0,
    "ELAPSED_WEEKS": 10080.0,
    "ELAPSED_MONTHS": 43200.0,
}
_LOCK = threading.Lock()
_reader_class: Any = None


def _jvm() -> Any:
    """MPXJ's UniversalProjectReader class, starting the JVM the first time."""
    global _reader_class
    with _LOCK:
        if _reader_class is not None:
            return _reader_class
        try:
            importlib.import_module("mpxj")  # puts MPXJ's jars on the class path
            jpype = importlib.import_module("jpype")
        except ImportError:
            raise InvalidInputError(f"reading this file needs MPXJ: {INSTALL_HINT}") from None
        if not jpype.isJVMStarted():
            # The JVM takes SIGSEGV and SIGBUS for its own use (implicit null checks, JIT
            # safepoints). Python's fault handler saves the handlers it replaces when it is
            # enabled and puts them back when it is disabled: enabled before the JVM starts
            # (as pytest enables it), its next disable would remove the JVM's handlers and a
            # later read would crash the process. Disabled here, it saves the JVM's instead.
            faulthandler.disable()
            try:
                # MPXJ logs through log4j, which otherwise complains on stderr that it has
                # no configuration.
                jpype.startJVM(
                    "-Dlog4j2.loggerContextFactory="
                    "org.apache.logging.log4j.simple.SimpleLoggerContextFactory",
                    convertStrings=True,
                )
            except (OSError, RuntimeError, jpype.JVMNotFoundException) as exc:
                raise InvalidInputError(
                    f"reading this file needs a Java runtime, and none was found ({exc}): "
                    f"{INSTALL_HINT}"
                ) from None
        _reader_class = jpype.JClass("org.mpxj.reader.UniversalProjectReader")
        return _reader_class


def _day(value: Any) -> date | None:
    return None if value is None else date.fromisoformat(str(value)[:10])


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(float(value)))


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def _hours(duration: Any, props: Any) -> float | None:
    if duration is None:
        return None
    hours_unit = importlib.import_module("jpype").JClass("org.mpxj.TimeUnit").HOURS
    return round(float(duration.convertUnits(hours_unit, props).getDuration()), 4)


def read_plan(location: str) -> Plan:
    """Read any file MPXJ reads (.mpp, .mpx, MSPDI, .xer, PMXML) into the neutral plan.

    Example::

        plan = read_plan("office-move.mpp")
    """
    reader = _jvm()
    jpype = importlib.import_module("jpype")
    if not Path(location).is_file():
        raise InvalidInputError("no such file", where=location)
    try:
        project = reader().read(location)
    except jpype.JException as exc:
        raise InvalidInputError(
            f"MPXJ cannot read it: {exc.getMessage() or exc.getClass().getName()}",
            where=location,
        ) from None
    if project is None:
        raise InvalidInputError(
            "not a schedule MPXJ knows (MS Project .mpp, .mpx or XML, Primavera .xer or PMXML)",
            where=location,
        )
    return _plan(project, location)


def _currency(project: Any, props: Any) -> str | None:
    code = props.getCurrencyCode()
    if code:
        return str(code)
    # Primavera names its currencies; the base one is at exchange rate 1.
    for currency in project.getCurrencies():
        name = str(currency.getCurrencyID() or "")
        rate = currency.getExchangeRate()
        if rate is not None and float(rate) == 1 and len(name) == 3 and name.isalpha():
            return name.upper()
    return None


def _plan(project: Any, location: str) -> Plan:
    props = project.getProjectProperties()
    name = props.getProjectTitle() or (Path(str(props.getName())).stem if props.getName() else None)
    plan = Plan(
        location=location,
        guid=str(props.getGUID()) if props.getGUID() is not None else None,
        file_name=str(props.getName()) if props.getName() else None,
        name=str(name) if name else Path(location).stem,
        manager=str(props.getManager()) if props.getManager() else None,
        currency=_currency(project, props),
        minutes_per_day=float(props.getMinutesPerDay() or 480),
        minutes_per_week=float(props.getMinutesPerWeek() or 2400),
        start=_day(props.getStartDate()),
        finish=_day(props.getFinishDate()),
        baseline_taken=_day(props.getLastSaved()),
    )
    resources = _resources(project, plan, location)
    plan.resources = resources
    names = {r.uid: r.name for r in resources}
    assignees: dict[str, list[str]] = {}
    for assignment in project.getResourceAssignments():
        task, resource = assignment.getTask(), assignment.getResource()
        if task is None or resource is None:
            continue
        found = names.get(str(resource.getUniqueID()))
        listed = assignees.setdefault(str(task.getUniqueID()), [])
        if found is not None and found not in listed:
            listed.append(found)
    for task in project.getTasks():
        uid = str(task.getUniqueID())
        if task.getNull():
            continue
        if uid == "0" and int(task.getOutlineLevel() or 0) == 0:
            plan.cost = _decimal(task.getCost())
            plan.baselines = _baselines(task, props)
            continue
        plan.tasks.append(_task(task, uid, plan, props, assignees.get(uid, [])))
    return plan


def _percent(task: Any) -> float:
    kind = str(task.getPercentCompleteType() or "")
    method = str(task.getEarnedValueMethod() or "")
    if kind == "PHYSICAL" or method == "PHYSICAL_PERCENT_COMPLETE":
        value = task.getPhysicalPercentComplete()
    elif kind == "UNITS":
        value = task.getPercentageWorkComplete()
    else:
        value = task.getPercentageComplete()
    return float(value or 0)


def _task(task: Any, uid: str, plan: Plan, props: Any, assignees: list[str]) -> PlanTask:
    parent = task.getParentTask()
    parent_uid = None if parent is None else str(parent.getUniqueID())
    if parent_uid == "0" and int(parent.getOutlineLevel() or 0) == 0:
        parent_uid = None
    activity = str(task.getActivityType() or "")
    found = PlanTask(
        uid=uid,
        name=str(task.getName() or f"Task {task.getID() or uid}"),
        parent=parent_uid,
        summary=bool(task.getSummary()),
        milestone=bool(task.getMilestone()),
        start=_day(task.getStart()),
        finish=_day(task.getFinish()),
        duration=_hours(task.getDuration(), props),
        work=_hours(task.getWork(), props),
        remaining=_hours(task.getRemainingWork(), props),
        percent=_percent(task),
        ev_method="level_of_effort" if activity == "LEVEL_OF_EFFORT" else "percent_complete",
        cost=_decimal(task.getCost()),
        actual_cost=_decimal(task.getActualCost()),
        assignees=assignees,
        baselines=_baselines(task, props),
        where=f"{plan.location}: task {uid}",
    )
    for relation in task.getPredecessors():
        found.links.append(_link(relation, plan))
    return found


def _link(relation: Any, plan: Plan) -> PlanLink:
    kind = str(relation.getType())
    code = {
        "FINISH_START": "FS",
        "START_START": "SS",
        "FINISH_FINISH": "FF",
        "START_FINISH": "SF",
    }.get(kind, kind[:2])
    predecessor = str(relation.getPredecessorTask().getUniqueID())
    lag = relation.getLag()
    if lag is None:
        return PlanLink(predecessor=predecessor, type=code)
    amount = float(lag.getDuration())
    units = str(lag.getUnits().name())
    if units in ("PERCENT", "ELAPSED_PERCENT"):
        return PlanLink(predecessor=predecessor, type=code, lag_percent=amount)
    if units in _ELAPSED_UNITS:
        return PlanLink(
            predecessor=predecessor,
            type=code,
            lag_minutes=amount * _ELAPSED_UNITS[units],
            elapsed=True,
        )
    per_unit = {
        **_WORKING_UNITS,
        "DAYS": plan.minutes_per_day,
        "WEEKS": plan.minutes_per_week,
        "MONTHS": plan.minutes_per_day * 20,
        "YEARS": plan.minutes_per_day * 240,
    }.get(units, plan.minutes_per_day)
    return PlanLink(predecessor=predecessor, type=code, lag_minutes=amount * per_unit)


def _baselines(task: Any, props: Any) -> dict[int, PlanBaseline]:
    found: dict[int, PlanBaseline] = {}
    for number in range(11):
        args = (number,) if number else ()
        start = task.getBaselineStart(*args)
        finish = task.getBaselineFinish(*args)
        if start is None and finish is None:
            continue  # MPXJ gives a cost of 0 for a baseline never taken
        found[number] = PlanBaseline(
            start=_day(start),
            finish=_day(finish),
            work=_hours(task.getBaselineWork(*args), props),
            cost=_decimal(task.getBaselineCost(*args)),
        )
    return found


def _per_hour(rate: Any, plan: Plan) -> Decimal:
    amount = Decimal(str(float(rate.getAmount())))
    per = {
        "MINUTES": Decimal(1) / 60,
        "HOURS": Decimal(1),
        "DAYS": Decimal(str(plan.minutes_per_day / 60)),
        "WEEKS": Decimal(str(plan.minutes_per_week / 60)),
    }.get(str(rate.getUnits().name()), Decimal(1))
    return amount / per


def _resources(project: Any, plan: Plan, location: str) -> list[PlanResource]:
    found = []
    for resource in project.getResources():
        name = resource.getName()
        if not name or resource.getNull() or str(resource.getType()) != "WORK":
            continue
        rates = []
        table = resource.getCostRateTable(0)
        for entry in table if table is not None else []:
            rate = entry.getStandardRate()
            if rate is None:
                continue
            since = _day(entry.getStartDate()) or date(1984, 1, 1)
            rates.append((since, _per_hour(rate, plan)))
        units = _float(resource.getMaxUnits())
        uid = str(resource.getUniqueID())
        found.append(
            PlanResource(
                uid=uid,
                name=str(name),
                role=bool(resource.getRole()) or bool(resource.getGeneric()),
                email=str(resource.getEmailAddress()) if resource.getEmailAddress() else None,
                capacity_hours_per_week=None
                if units is None
                else round(units / 100 * plan.minutes_per_week / 60, 4),
                rates=sorted(rates),
                where=f"{location}: resource {uid}",
            )
        )
    return found


def read(request: ConnectorRequest) -> Iterator[SourceItem]:
    """The ``msproject`` and ``primavera`` connectors' read: any file MPXJ reads, mapped as
    the native MSPDI reader maps it (options: ``parent``, ``key``, ``currency``).

    Example::

        ws.import_from("msproject", "office-move.mpp")
        ws.import_from("primavera", "refinery.xer", options={"parent": "PF"})
    """
    yield from to_items(read_plan(request.location), request.options)
