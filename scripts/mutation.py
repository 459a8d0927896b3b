"""Mutation testing of the modules that hold money, metrics and governance logic.

Reads ``mutation.toml`` (per module: the tests that exercise it; the threshold; the file of
equivalent mutants), runs cosmic-ray on each module in turn with only that module's tests,
prints a table (module, mutants, killed, survived, equivalent, score) and exits 1 when a
module scores under the threshold, listing its surviving mutants with ``file:line`` and the
change. Exits 2 on a configuration error: a module or test path that does not exist, an
equivalent entry without a reason, or one that matches no surviving mutant any more.

cosmic-ray mutates the file on disk and puts it back after each mutant, so the plugins,
installed in editable mode, are mutated as the core is; never run two of these at once on
one checkout. Besides cosmic-ray's own operators (comparisons, arithmetic, and/or, not,
constants, True/False, break/continue, exception types, zero-iteration loops) two are added
here: a ``return`` whose value becomes ``None``, and a ``raise`` that becomes ``pass``.

Usage::

    python scripts/mutation.py                   # every module (the scheduled profile)
    python scripts/mutation.py --changed         # modules changed against main (or HEAD~1)
    python scripts/mutation.py --module pmo_core/_domain/money.py
    python scripts/mutation.py --json build/mutation/report.json
    python scripts/mutation.py --resume          # continue an interrupted run
    python scripts/mutation.py --survivors       # after adding tests: re-run the survivors
"""

from __future__ import annotations

import argparse
import fnmatch
import glob
import hashlib
import inspect
import json
import os
import re
import shlex
import signal
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "mutation.toml"
WORK_DIR = ROOT / "build" / "mutation"
PMO_OPERATORS = ("pmo/ReplaceReturnValueWithNone", "pmo/ReplaceRaiseWithPass")


class ConfigError(Exception):
    """The configuration or the equivalent file is wrong: the run cannot be trusted."""


@dataclass(frozen=True)
class Module:
    """One module under mutation and the test files (globs) that exercise it."""

    path: str
    tests: tuple[str, ...]

    def test_files(self) -> list[str]:
        """The test paths the globs match, relative to the root, sorted."""
        found: set[str] = set()
        for pattern in self.tests:
            for match in glob.glob(pattern, root_dir=ROOT):
                found.add(match)
        return sorted(found)


@dataclass(frozen=True)
class Equivalent:
    """A mutant no test can kill, matched by module, operator and its line before and after."""

    module: str
    operator: str
    before: str
    after: str
    reason: str


@dataclass(frozen=True)
class Named:
    """A mutant a test was written to kill (a gap the suite once had), matched as an
    equivalent one is; ``test`` is the test that kills it (``path::name``)."""

    module: str
    operator: str
    before: str
    after: str
    gap: str
    test: str


@dataclass(frozen=True)
class Config:
    """``mutation.toml`` read and checked."""

    threshold: float
    timeout: float
    exclude: tuple[str, ...]
    modules: tuple[Module, ...]
    equivalents: tuple[Equivalent, ...]
    equivalent_file: str
    named: tuple[Named, ...] = ()
    named_file: str = "tests/mutation/named.toml"


@dataclass
class Mutant:
    """One mutant's outcome."""

    module: str
    line: int
    operator: str
    before: str
    after: str
    outcome: str  # killed, survived, equivalent
    reason: str = ""

    def where(self) -> str:
        return f"{self.module}:{self.line}"


@dataclass
class Score:
    """A module's result."""

    module: str
    mutants: int = 0
    killed: int = 0
    survived: int = 0
    equivalent: int = 0
    seconds: float = 0.0
    survivors: list[Mutant] = field(default_factory=list)
    #: Every mutant's change, its line and whether it survived:
    #: (operator, before, after) -> (line, survived).
    outcomes: dict[tuple[str, str, str], tuple[int, bool]] = field(default_factory=dict)

    @property
    def score(self) -> float:
        if not self.mutants:
            return 100.0
        return 100.0 * (self.killed + self.equivalent) / self.mutants


def load_config(path: Path = CONFIG) -> Config:
    """Read and check ``mutation.toml`` and the equivalent file it names."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: {exc}") from exc
    settings = data.get("mutation", {})
    modules = []
    for n, entry in enumerate(data.get("module", []), 1):
        if not isinstance(entry.get("path"), str) or not entry.get("tests"):
            raise ConfigError(f"{path.name}: module {n} needs a path and a list of tests")
        module = Module(entry["path"], tuple(entry["tests"]))
        if not (ROOT / module.path).is_file():
            raise ConfigError(f"{path.name}: module {module.path} does not exist")
        if not module.test_files():
            raise ConfigError(f"{path.name}: no test file matches the tests of {module.path}")
        modules.append(module)
    equivalent_file = settings.get("equivalent", "tests/mutation/equivalent.toml")
    named_file = settings.get("named", "tests/mutation/named.toml")
    paths = {m.path for m in modules}
    return Config(
        threshold=float(settings.get("threshold", 90)),
        timeout=float(settings.get("timeout", 120)),
        exclude=tuple(data.get("operators", {}).get("exclude", ())),
        modules=tuple(modules),
        equivalents=tuple(load_equivalents(ROOT / equivalent_file, paths)),
        equivalent_file=equivalent_file,
        named=tuple(load_named(ROOT / named_file, paths)),
        named_file=named_file,
    )


def load_equivalents(path: Path, modules: set[str]) -> list[Equivalent]:
    """The reviewed equivalent mutants; every entry names a configured module and a reason."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: {exc}") from exc
    found = []
    for n, entry in enumerate(data.get("equivalent", []), 1):
        keys = ("module", "operator", "before", "after", "reason")
        missing = [k for k in keys if not str(entry.get(k, "")).strip()]
        if missing:
            raise ConfigError(f"{path.name}: entry {n} has no {', '.join(missing)}")
        if entry["module"] not in modules:
            raise ConfigError(
                f"{path.name}: entry {n} names {entry['module']}, not in mutation.toml"
            )
        found.append(Equivalent(*(str(entry[k]).strip() for k in keys)))
    return found


def load_named(path: Path, modules: set[str]) -> list[Named]:
    """The mutants tests were written to kill; each names a configured module, the gap, and
    a test that exists (``path::name``, the function defined in that file)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: {exc}") from exc
    found = []
    keys = ("module", "operator", "before", "after", "gap", "test")
    for n, entry in enumerate(data.get("named", []), 1):
        missing = [k for k in keys if not str(entry.get(k, "")).strip()]
        if missing:
            raise ConfigError(f"{path.name}: entry {n} has no {', '.join(missing)}")
        named = Named(*(str(entry[k]).strip() for k in keys))
        if named.module not in modules:
            raise ConfigError(f"{path.name}: entry {n} names {named.module}, not in mutation.toml")
        file, _, name = named.test.partition("::")
        test = ROOT / file
        defined = re.compile(rf"^\s*def {re.escape(name.split('[')[0])}\(", re.MULTILINE)
        if not name or not test.is_file() or not defined.search(test.read_text("utf-8")):
            raise ConfigError(f"{path.name}: entry {n}: no test {named.test}")
        found.append(named)
    return found


def changed_modules(config: Config, base: str | None) -> list[Module]:
    """Modules whose file or tests differ from ``base`` (default: the merge base with main,
    or ``HEAD~1`` on main itself), committed or not."""

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=ROOT, check=True, capture_output=True, text=True
        ).stdout.strip()

    if base is None:
        head = git("rev-parse", "HEAD")
        try:
            base = git("merge-base", "HEAD", "main")
        except subprocess.CalledProcessError:
            base = head
        if base == head:
            base = "HEAD~1"
    try:
        changed = set(git("diff", "--name-only", base).splitlines())
        changed |= set(git("ls-files", "--others", "--exclude-standard").splitlines())
    except subprocess.CalledProcessError as exc:
        raise ConfigError(
            f"--changed: git cannot compare with {base}: {exc.stderr.strip()}"
        ) from exc
    selected = []
    for module in config.modules:
        if module.path in changed or any(
            fnmatch.fnmatch(name, pattern) or name.startswith(pattern.rstrip("/") + "/")
            for name in changed
            for pattern in module.tests
        ):
            selected.append(module)
    return selected


# -- cosmic-ray ------------------------------------------------------------------------------


def _pmo_operators() -> dict[str, type]:
    """The two operators cosmic-ray lacks: a return value and a raise."""
    from cosmic_ray.operators.operator import Example, Operator
    from parso.python.tree import Keyword

    class ReplaceReturnValueWithNone(Operator):  # type: ignore[misc]
        """``return x`` becomes ``return None``: a result nobody checks survives."""

        def mutation_positions(self, node: Any) -> Iterator[tuple[Any, Any]]:
            if node.type == "return_stmt" and node.children[1].get_code().strip() != "None":
                yield (node.start_pos, node.end_pos)

        def mutate(self, node: Any, index: int) -> Any:
            value = node.children[1]
            node.children[1] = Keyword(
                "None", value.start_pos, prefix=value.get_first_leaf().prefix
            )
            node.children[1].parent = node
            return node

        @classmethod
        def examples(cls) -> tuple[Any, ...]:
            return (Example("def f():\n    return 1\n", "def f():\n    return None\n"),)

    class ReplaceRaiseWithPass(Operator):  # type: ignore[misc]
        """``raise X`` becomes ``pass``: a guard nobody trips survives."""

        def mutation_positions(self, node: Any) -> Iterator[tuple[Any, Any]]:
            if node.type == "raise_stmt":
                yield (node.start_pos, node.end_pos)

        def mutate(self, node: Any, index: int) -> Any:
            return Keyword("pass", node.start_pos, prefix=node.get_first_leaf().prefix)

        @classmethod
        def examples(cls) -> tuple[Any, ...]:
            return (Example("def f():\n    raise ValueError\n", "def f():\n    pass\n"),)

    return {
        PMO_OPERATORS[0]: ReplaceReturnValueWithNone,
        PMO_OPERATORS[1]: ReplaceRaiseWithPass,
    }


def _install_operators(exclude: Sequence[str]) -> None:
    """Make cosmic-ray's operator lookup know ours and leave out the excluded ones."""
    import cosmic_ray.plugins as plugins

    ours = _pmo_operators()
    core_names = plugins.operator_names
    core_get = plugins.get_operator
    if getattr(core_names, "_pmo", False):
        return
    patterns = [re.compile(p) for p in exclude]

    def operator_names() -> list[str]:
        names = [*core_names(), *ours]
        return [n for n in names if not any(p.search(n) for p in patterns)]

    def get_operator(name: str) -> Any:
        return ours[name] if name in ours else core_get(name)

    operator_names._pmo = True  # type: ignore[attr-defined]
    plugins.operator_names = operator_names
    plugins.get_operator = get_operator


def _test_command(module: Module) -> str:
    return shlex.join(
        [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *module.test_files()]
    )


def _changed_line(diff: str) -> tuple[str, str]:
    """The first line a unified diff removes and the first it adds, stripped."""
    before = next(
        (t[1:].strip() for t in diff.splitlines() if t.startswith("-") and not t.startswith("---")),
        "",
    )
    after = next(
        (t[1:].strip() for t in diff.splitlines() if t.startswith("+") and not t.startswith("+++")),
        "",
    )
    return before, after


def _module_name(path: str) -> tuple[str, Path]:
    """The dotted name of a module file, and the directory it is imported from."""
    parts = Path(path).with_suffix("").parts
    if parts[0] in ("plugins", "examples"):
        return ".".join(parts[2:]), ROOT / parts[0] / parts[1]
    return ".".join(parts), ROOT


def _import_from_tree(module: Module) -> None:
    """Make the tests import the module from this checkout, where it is mutated, even when
    the packages are installed rather than editable (as in tox), and check that they do."""
    name, source = _module_name(module.path)
    paths = [str(ROOT), str(source)]
    current = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join(
        dict.fromkeys([*paths, *([current] if current else [])])
    )
    where = subprocess.run(
        [sys.executable, "-c", f"import {name}; print({name}.__file__)"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout.strip()
    if not where or Path(where).resolve() != (ROOT / module.path).resolve():
        raise ConfigError(f"{name} is imported from {where or 'nowhere'}, not from {module.path}")


def count_mutants(config: Config, module: Module) -> int:
    """How many mutants a run of ``module`` makes (nothing is run)."""
    import tempfile

    from cosmic_ray.commands import init
    from cosmic_ray.work_db import use_db

    _install_operators(config.exclude)
    with tempfile.TemporaryDirectory() as tmp, use_db(Path(tmp) / "count.sqlite") as db:
        init([ROOT / module.path], db, {})
        return int(db.num_work_items)


def _stamp(config: Config, module: Module, command: str) -> dict[str, str]:
    """What a session's results depend on: ``mutants`` (the module's source, the operators
    and the excluded ones: the same mutants) and ``tests`` (the test command)."""
    from importlib.metadata import version

    def digest(*parts: str) -> str:
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()

    return {
        "mutants": digest(
            (ROOT / module.path).read_text(encoding="utf-8"),
            *config.exclude,
            inspect.getsource(_pmo_operators),
            inspect.getsource(_install_operators),
            version("cosmic-ray"),
        ),
        "tests": digest(command),
    }


def _read_stamp(path: Path) -> dict[str, str]:
    try:
        stamp = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # none, or one of an older format: not trusted
    return stamp if isinstance(stamp, dict) else {}


def run_module(
    config: Config,
    module: Module,
    log: Any = sys.stderr,
    *,
    resume: bool = False,
    survivors: bool = False,
    named_only: bool = False,
) -> Score:
    """Mutate one module, run its tests on every mutant, and score it.

    With ``resume``, a session an earlier run left unfinished (interrupted) is continued where
    it stopped, if the module, its test command and the operators are still the same. With
    ``survivors``, the last finished session of the module (same module and operators, so the
    same mutants) keeps its killed mutants and only its survivors run again, against the
    tests as they are now: the check after adding tests. Tests removed or weakened since
    that session are not seen by it; a full run is. With ``named_only``, only the module's
    named mutants (``tests/mutation/named.toml``) run, in a session of their own.
    """
    from cosmic_ray.commands import execute, init
    from cosmic_ray.config import ConfigDict
    from cosmic_ray.work_db import WorkDB, use_db
    from cosmic_ray.work_item import TestOutcome, WorkerOutcome

    _install_operators(config.exclude)
    _import_from_tree(module)
    command = _test_command(module)
    started = time.monotonic()
    # The unmutated module must pass its tests, or every mutant would count as killed.
    baseline = subprocess.run(shlex.split(command), cwd=ROOT, capture_output=True, text=True)
    if baseline.returncode != 0:
        raise ConfigError(
            f"the tests of {module.path} fail without any mutant:\n{baseline.stdout[-2000:]}"
        )
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    session = WORK_DIR / (
        module.path.replace("/", "__") + (".named.sqlite" if named_only else ".sqlite")
    )
    stamp_file = session.with_suffix(".fingerprint")
    stamp = _stamp(config, module, command)
    earlier = _read_stamp(stamp_file) if session.exists() else {}
    same_mutants = bool(earlier) and earlier.get("mutants") == stamp["mutants"]
    rechecked = 0
    if survivors:
        if not same_mutants:
            raise ConfigError(
                f"no earlier session of {module.path} with the same mutants in {WORK_DIR} "
                "(the module, the operators or the script changed since): run it in full"
            )
        rechecked = _forget_survivors(session)
    resumed = (
        not (survivors or named_only)
        and resume
        and same_mutants
        and earlier.get("tests") == stamp["tests"]
    )
    if not (resumed or survivors):
        session.unlink(missing_ok=True)
    cr_config = ConfigDict(
        {
            "timeout": config.timeout,
            "excluded-modules": [],
            "test-command": command,
            "distributor": {"name": "local"},
        }
    )
    if not (resumed or survivors):
        with use_db(session, WorkDB.Mode.create) as db:
            # Relative to the checkout (the current directory): a session can be moved.
            init([Path(module.path)], db, cr_config.operators_config)
    if named_only:
        wanted = {(n.operator, n.before, n.after) for n in config.named if n.module == module.path}
        _keep_only(session, module, wanted)
    stamp_file.write_text(json.dumps(stamp), encoding="utf-8")
    with use_db(session, WorkDB.Mode.create) as db:
        done = db.num_results
        if survivors:
            note = f", the {rechecked} survivors of the last run run again, {done} kills kept"
        elif resumed:
            note = f", {done} done before (resumed)"
        else:
            note = ""
        print(f"{module.path}: {db.num_work_items} mutants{note}", file=log, flush=True)
        execute(db, cr_config)
        results = list(db.completed_work_items)
    score = Score(module.path, mutants=len(results), seconds=time.monotonic() - started)
    for item, result in results:
        spec = item.mutations[0]
        line = spec.start_pos[0]
        before, after = _changed_line(result.diff or "")
        if result.worker_outcome == WorkerOutcome.EXCEPTION:
            # The mutation could not be applied: a fault of the operator, never a kill.
            raise ConfigError(
                f"{module.path}:{line}: {spec.operator_name} failed:\n{result.output[-2000:]}"
            )
        survived = result.test_outcome == TestOutcome.SURVIVED
        key = (spec.operator_name, before, after)
        # Two mutants may make the same change (one line written twice): any survivor counts.
        score.outcomes[key] = (line, survived or score.outcomes.get(key, (0, False))[1])
        if not survived:
            score.killed += 1
            continue
        score.survivors.append(
            Mutant(module.path, line, spec.operator_name, before, after, "survived")
        )
    for mutant in score.survivors:
        for eq in config.equivalents:
            if (eq.module, eq.operator, eq.before, eq.after) == (
                mutant.module,
                mutant.operator,
                mutant.before,
                mutant.after,
            ):
                mutant.outcome, mutant.reason = "equivalent", eq.reason
    score.equivalent = sum(m.outcome == "equivalent" for m in score.survivors)
    score.survived = len(score.survivors) - score.equivalent
    return score


def _forget_survivors(session: Path) -> int:
    """Drop the results of the mutants that survived, so that cosmic-ray runs them again;
    the number dropped. Unfinished sessions are refused: their kills are not a whole run."""
    import sqlite3

    with sqlite3.connect(session) as db:
        pending = db.execute(
            "SELECT COUNT(*) FROM work_items WHERE job_id NOT IN (SELECT job_id FROM work_results)"
        ).fetchone()[0]
        if pending:
            raise ConfigError(
                f"the last session of {session.name} is unfinished ({pending} mutants not run): "
                "finish it with --resume first"
            )
        return db.execute("DELETE FROM work_results WHERE test_outcome = 'SURVIVED'").rowcount


def _keep_only(session: Path, module: Module, wanted: set[tuple[str, str, str]]) -> None:
    """Leave in a fresh session only the mutants whose change is in ``wanted`` (operator,
    line before, line after), worked out by mutating the source in memory."""
    import difflib
    import sqlite3

    import cosmic_ray.plugins
    from cosmic_ray.mutating import mutate_code

    code = (ROOT / module.path).read_text(encoding="utf-8")
    operators = {op for op, _, _ in wanted}
    keep: list[str] = []
    with sqlite3.connect(session) as db:
        specs = db.execute(
            "SELECT job_id, operator_name, operator_args, occurrence FROM mutation_specs"
        ).fetchall()
        for job, name, args, occurrence in specs:
            if name not in operators:
                continue
            # Stored as JSON text holding JSON text (SQLAlchemy's JSON column over a string).
            kwargs: Any = args or "{}"
            while isinstance(kwargs, str):
                kwargs = json.loads(kwargs)
            operator = cosmic_ray.plugins.get_operator(name)(**(kwargs or {}))
            mutated = mutate_code(code, operator, occurrence)
            if mutated is None:
                continue
            diff = "\n".join(difflib.unified_diff(code.splitlines(), mutated.splitlines()))
            if (name, *_changed_line(diff)) in wanted:
                keep.append(job)
        marks = ", ".join("?" * len(keep))
        for table_name in ("mutation_specs", "work_items"):
            db.execute(f"DELETE FROM {table_name} WHERE job_id NOT IN ({marks})", keep)


def named_outcomes(config: Config, scores: Iterable[Score]) -> list[tuple[Named, str, int]]:
    """Each named mutant of the modules that ran: ``killed``, ``survived``, or ``missing``
    (no mutant makes that change any more: the code moved on, and the entry must follow),
    with its line (0 when missing)."""
    by_module = {s.module: s for s in scores}
    found = []
    for named in config.named:
        score = by_module.get(named.module)
        if score is None:
            continue
        line, survived = score.outcomes.get((named.operator, named.before, named.after), (0, None))
        outcome = "missing" if survived is None else "survived" if survived else "killed"
        found.append((named, outcome, line))
    return found


def stale_equivalents(config: Config, scores: Iterable[Score]) -> list[Equivalent]:
    """Entries for a module that ran and matched none of its surviving mutants."""
    by_module = {s.module: s for s in scores}
    stale = []
    for eq in config.equivalents:
        score = by_module.get(eq.module)
        if score is not None and not any(
            m.reason == eq.reason
            and (m.operator, m.before, m.after) == (eq.operator, eq.before, eq.after)
            for m in score.survivors
        ):
            stale.append(eq)
    return stale


def table(scores: Sequence[Score], threshold: float) -> str:
    """The per-module table the run prints."""
    rows = [("module", "mutants", "killed", "survived", "equivalent", "score", "")]
    for s in scores:
        verdict = "ok" if s.score >= threshold else f"UNDER {threshold:g} %"
        rows.append(
            (
                s.module,
                str(s.mutants),
                str(s.killed),
                str(s.survived),
                str(s.equivalent),
                f"{s.score:.1f} %",
                verdict,
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(r, widths, strict=True))
        ).rstrip()
        for r in rows
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--changed",
        nargs="?",
        const="",
        metavar="BASE",
        help="only modules whose file or tests changed against BASE "
        "(default: the merge base with main, or HEAD~1)",
    )
    parser.add_argument(
        "--module", action="append", default=[], help="only this module (repeatable)"
    )
    parser.add_argument(
        "--json", metavar="FILE", help="also write the scores and surviving mutants as JSON"
    )
    parser.add_argument(
        "--resume",
        action="store_true",
        help="continue the sessions an interrupted run left in build/mutation",
    )
    parser.add_argument(
        "--survivors",
        action="store_true",
        help="run again only the mutants the last finished run of each module left surviving, "
        "against the tests as they are now, keeping its kills (after adding tests; a full run "
        "also sees tests removed since)",
    )
    parser.add_argument(
        "--named",
        action="store_true",
        help="run only the named mutants (tests/mutation/named.toml: the gaps tests were "
        "written for) and show that each is killed",
    )
    parser.add_argument(
        "--list",
        action="store_true",
        help="list the configured modules and their tests, run nothing",
    )
    args = parser.parse_args(argv)
    try:
        config = load_config()
        modules = list(config.modules)
        if args.module:
            unknown = sorted(set(args.module) - {m.path for m in modules})
            if unknown:
                raise ConfigError(f"not in mutation.toml: {', '.join(unknown)}")
            modules = [m for m in modules if m.path in args.module]
        if args.changed is not None:
            modules = changed_modules(config, args.changed or None)
        if args.named:
            modules = [m for m in modules if any(n.module == m.path for n in config.named)]
        if args.list:
            for m in modules:
                print(f"{m.path} ({count_mutants(config, m)} mutants): {' '.join(m.test_files())}")
            return 0
        if not modules:
            print("mutation: no configured module changed; nothing to run")
            return 0
        # A mutant is written over the module: on SIGTERM (a CI timeout) exit through the
        # finally blocks that put the module back, as on Ctrl-C.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
        # Each mutant's test run is a new pytest session, which would import every installed
        # plugin in a child process first (the plugin host's pre-flight, cached per plugin
        # file): keep those verdicts between the runs. A mutated module changes no verdict
        # the tests rely on: the mutant is imported in the test process itself.
        os.environ.setdefault("PMO_PREFLIGHT_CACHE_DIR", str(WORK_DIR / "preflight"))
        # cosmic-ray runs the test command, and reads the module, from the current directory.
        os.chdir(ROOT)
        scores = []
        for module in modules:
            score = run_module(
                config,
                module,
                resume=args.resume,
                survivors=args.survivors,
                named_only=args.named,
            )
            scores.append(score)
            if args.named:
                done = f"{score.killed} of {score.mutants} named mutants killed"
            else:
                done = f"{score.score:.1f} % ({score.mutants} mutants)"
            print(f"{module.path}: {done}, {score.seconds:.0f} s", file=sys.stderr, flush=True)
        stale = [] if args.named else stale_equivalents(config, scores)
    except ConfigError as exc:
        print(f"mutation: error: {exc}", file=sys.stderr)
        return 2
    named = named_outcomes(config, scores)
    if args.named:
        return _report_named(config, named)
    print(table(scores, config.threshold))
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        report = [
            {
                **{k: v for k, v in asdict(s).items() if k not in ("survivors", "outcomes")},
                "score": round(s.score, 1),
                "survivors": [asdict(m) for m in s.survivors],
            }
            for s in scores
        ]
        Path(args.json).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    failed = False
    for s in scores:
        if s.score < config.threshold:
            failed = True
            print(
                f"\n{s.module}: {s.score:.1f} % is under {config.threshold:g} %; surviving mutants:"
            )
            for mutant in s.survivors:
                if mutant.outcome == "survived":
                    print(
                        f"  {mutant.where()}  {mutant.operator}\n"
                        f"      - {mutant.before}\n      + {mutant.after}"
                    )
    for eq in stale:
        failed = True
        print(
            f"\n{config.equivalent_file}: no surviving mutant matches the entry for {eq.module} "
            f"({eq.operator}: {eq.before!r} -> {eq.after!r}); remove it or update it"
        )
    code = _report_named(config, named) if named else 0
    if stale or code == 2:
        return 2
    return 1 if failed or code else 0


def _report_named(config: Config, named: Sequence[tuple[Named, str, int]]) -> int:
    """Print what became of each named mutant; 1 if one survived, 2 if one is missing."""
    killed = sum(outcome == "killed" for _, outcome, _ in named)
    print(f"\nnamed mutants ({config.named_file}): {killed} of {len(named)} killed")
    for entry, outcome, line in named:
        where = f"{entry.module}:{line}" if line else entry.module
        print(
            f"  {outcome:8}  {where}  {entry.operator}\n"
            f"      - {entry.before}\n      + {entry.after}\n"
            f"      gap: {entry.gap}\n      test: {entry.test}"
        )
    if any(outcome == "missing" for _, outcome, _ in named):
        print(
            f"\n{config.named_file}: an entry matches no mutant of its module any more; "
            "update it to the code as it is"
        )
        return 2
    return 1 if killed < len(named) else 0


if __name__ == "__main__":
    sys.exit(main())
