"""The mutation-testing configuration is what the suite is held to: ``mutation.toml`` names
modules and test files that exist, every module the logic lives in, and a threshold of 90 %;
the reviewed file of equivalent mutants gives each a reason and cannot rot (an entry that no
surviving mutant matches fails the run). The script that reads them, ``scripts/mutation.py``,
scores and selects modules as these tests pin down; the mutation operators themselves are
checked in ``tests/mutation/check_operators.py``, run by ``tox -e mutation`` where
cosmic-ray is installed."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]

#: The modules issue 15 names: metrics and RAG thresholds, money, governance evaluation and
#: every first-party rule, import planning and diffing, watermelon rules, selection and
#: capacity.
REQUIRED = {
    "pmo_core/_evm.py",
    "pmo_core/_domain/money.py",
    "pmo_core/_services/governance.py",
    "plugins/pmo-governance/pmo_governance/_rules.py",
    "pmo_core/_services/diff.py",
    "pmo_core/_services/import_sync.py",
    "pmo_core/_watermelons.py",
    "plugins/pmo-strategy/pmo_strategy/_selection.py",
    "plugins/pmo-resources/pmo_resources/_capacity.py",
}


@pytest.fixture(scope="module")
def mutation() -> ModuleType:
    spec = importlib.util.spec_from_file_location("pmo_mutation", ROOT / "scripts" / "mutation.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def test_the_threshold_is_90_percent(mutation: ModuleType) -> None:
    assert mutation.load_config().threshold == 90


def test_every_module_holding_money_metrics_or_governance_logic_is_configured(
    mutation: ModuleType,
) -> None:
    configured = {m.path for m in mutation.load_config().modules}
    assert configured >= REQUIRED, sorted(REQUIRED - configured)


def test_each_configured_module_and_its_tests_exist(mutation: ModuleType) -> None:
    for module in mutation.load_config().modules:
        assert (ROOT / module.path).is_file(), module.path
        files = module.test_files()
        assert files, module.path
        for name in files:
            assert (ROOT / name).exists(), name


def test_equivalent_entries_each_give_a_reason(mutation: ModuleType) -> None:
    config = mutation.load_config()
    for eq in config.equivalents:
        assert eq.reason.strip()
        assert eq.module in {m.path for m in config.modules}


def test_an_equivalent_entry_without_a_reason_is_an_error(
    mutation: ModuleType, tmp_path: Path
) -> None:
    path = tmp_path / "equivalent.toml"
    path.write_text(
        '[[equivalent]]\nmodule = "pmo_core/_evm.py"\noperator = "core/AddNot"\n'
        'before = "if a:"\nafter = "if not a:"\nreason = "  "\n',
        encoding="utf-8",
    )
    with pytest.raises(mutation.ConfigError, match="entry 1 has no reason"):
        mutation.load_equivalents(path, {"pmo_core/_evm.py"})


def test_an_equivalent_entry_for_an_unconfigured_module_is_an_error(
    mutation: ModuleType, tmp_path: Path
) -> None:
    path = tmp_path / "equivalent.toml"
    path.write_text(
        '[[equivalent]]\nmodule = "pmo_core/_nope.py"\noperator = "core/AddNot"\n'
        'before = "if a:"\nafter = "if not a:"\nreason = "same"\n',
        encoding="utf-8",
    )
    with pytest.raises(mutation.ConfigError, match=r"not in mutation\.toml"):
        mutation.load_equivalents(path, {"pmo_core/_evm.py"})


def test_a_module_that_does_not_exist_is_an_error(mutation: ModuleType, tmp_path: Path) -> None:
    (tmp_path / "equivalent.toml").write_text("", encoding="utf-8")
    config = tmp_path / "mutation.toml"
    config.write_text(
        f'[mutation]\nequivalent = "{tmp_path / "equivalent.toml"}"\n'
        '[[module]]\npath = "pmo_core/_nope.py"\ntests = ["tests/core/test_evm.py"]\n',
        encoding="utf-8",
    )
    with pytest.raises(mutation.ConfigError, match=r"pmo_core/_nope\.py does not exist"):
        mutation.load_config(config)


def test_tests_that_match_no_file_are_an_error(mutation: ModuleType, tmp_path: Path) -> None:
    (tmp_path / "equivalent.toml").write_text("", encoding="utf-8")
    config = tmp_path / "mutation.toml"
    config.write_text(
        f'[mutation]\nequivalent = "{tmp_path / "equivalent.toml"}"\n'
        '[[module]]\npath = "pmo_core/_evm.py"\ntests = ["tests/core/test_nope*.py"]\n',
        encoding="utf-8",
    )
    with pytest.raises(mutation.ConfigError, match="no test file matches"):
        mutation.load_config(config)


def _score(mutation: ModuleType, killed: int, survived: int, equivalent: int) -> object:
    score = mutation.Score("pmo_core/_evm.py", mutants=killed + survived + equivalent)
    score.killed, score.survived, score.equivalent = killed, survived, equivalent
    return score


def test_equivalent_mutants_count_as_killed_in_the_score(mutation: ModuleType) -> None:
    assert _score(mutation, killed=8, survived=1, equivalent=1).score == 90.0
    assert _score(mutation, killed=8, survived=2, equivalent=0).score == 80.0


def test_a_module_exactly_at_the_threshold_passes_and_just_under_fails(
    mutation: ModuleType,
) -> None:
    at = mutation.table([_score(mutation, killed=9, survived=1, equivalent=0)], 90)
    under = mutation.table([_score(mutation, killed=899, survived=101, equivalent=0)], 90)
    above = mutation.table([_score(mutation, killed=901, survived=99, equivalent=0)], 90)
    assert at.splitlines()[1].endswith("90.0 %  ok")
    assert under.splitlines()[1].endswith("89.9 %  UNDER 90 %")
    assert above.splitlines()[1].endswith("90.1 %  ok")


def test_a_module_without_mutants_scores_full(mutation: ModuleType) -> None:
    assert mutation.Score("pmo_core/_evm.py").score == 100.0


def _survivor(mutation: ModuleType, before: str, reason: str = "") -> object:
    return mutation.Mutant(
        "pmo_core/_evm.py",
        10,
        "core/AddNot",
        before,
        "if not a:",
        "equivalent" if reason else "survived",
        reason,
    )


def test_an_equivalent_entry_matching_a_survivor_is_not_stale(mutation: ModuleType) -> None:
    eq = mutation.Equivalent("pmo_core/_evm.py", "core/AddNot", "if a:", "if not a:", "same")
    score = mutation.Score("pmo_core/_evm.py", survivors=[_survivor(mutation, "if a:", "same")])
    config = mutation.Config(90, 60, (), (), (eq,), "equivalent.toml")
    assert mutation.stale_equivalents(config, [score]) == []


def test_an_equivalent_entry_no_survivor_matches_is_stale(mutation: ModuleType) -> None:
    eq = mutation.Equivalent("pmo_core/_evm.py", "core/AddNot", "if b:", "if not b:", "same")
    score = mutation.Score("pmo_core/_evm.py", survivors=[_survivor(mutation, "if a:")])
    config = mutation.Config(90, 60, (), (), (eq,), "equivalent.toml")
    assert mutation.stale_equivalents(config, [score]) == [eq]


def test_equivalent_entries_of_modules_not_run_are_not_judged(mutation: ModuleType) -> None:
    eq = mutation.Equivalent("pmo_core/_evm.py", "core/AddNot", "if b:", "if not b:", "same")
    config = mutation.Config(90, 60, (), (), (eq,), "equivalent.toml")
    assert mutation.stale_equivalents(config, []) == []


def test_the_changed_profile_selects_a_module_by_its_file_or_its_tests(
    mutation: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = mutation.load_config()
    outputs = {
        "diff": "pmo_core/_domain/money.py\nplugins/pmo-governance/tests/test_rules.py\nREADME.md",
        "ls-files": "",
    }

    def run(args: list[str], **kwargs: object) -> object:
        class Done:
            stdout = outputs.get(args[1], "")

        return Done()

    monkeypatch.setattr(mutation.subprocess, "run", run)
    chosen = [m.path for m in mutation.changed_modules(config, "main")]
    assert chosen == [
        "pmo_core/_domain/money.py",
        "plugins/pmo-governance/pmo_governance/_rules.py",
    ]


def test_a_plugin_module_is_imported_from_its_distribution_directory(
    mutation: ModuleType,
) -> None:
    name, source = mutation._module_name("plugins/pmo-governance/pmo_governance/_rules.py")
    assert (name, source) == ("pmo_governance._rules", ROOT / "plugins" / "pmo-governance")
    assert mutation._module_name("pmo_core/_domain/money.py") == ("pmo_core._domain.money", ROOT)


def test_a_survivor_is_shown_by_the_line_it_removes_and_the_line_it_adds(
    mutation: ModuleType,
) -> None:
    diff = (
        "--- mutation diff ---\n--- apmo_core/_evm.py\n+++ bpmo_core/_evm.py\n@@ -10,3 +10,3 @@\n"
        "     x = 1\n-    if a < b:\n+    if a <= b:\n         pass\n"
    )
    assert mutation._changed_line(diff) == ("if a < b:", "if a <= b:")


def test_the_changed_profile_with_nothing_changed_runs_nothing_and_passes(
    mutation: ModuleType, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(mutation, "changed_modules", lambda config, base: [])
    assert mutation.main(["--changed"]) == 0
    assert "no configured module changed" in capsys.readouterr().out


def test_an_unknown_module_is_an_error_naming_it(
    mutation: ModuleType, capsys: pytest.CaptureFixture[str]
) -> None:
    assert mutation.main(["--module", "pmo_core/_nope.py"]) == 2
    assert "not in mutation.toml: pmo_core/_nope.py" in capsys.readouterr().err


def _session(path: Path, outcomes: dict[str, str | None]) -> Path:
    """A cosmic-ray session's two tables as the script reads them: work items, and the
    results of those run (None: not run yet)."""
    import sqlite3

    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE work_items (job_id VARCHAR PRIMARY KEY)")
        db.execute("CREATE TABLE work_results (test_outcome VARCHAR, job_id VARCHAR PRIMARY KEY)")
        for job, outcome in outcomes.items():
            db.execute("INSERT INTO work_items VALUES (?)", (job,))
            if outcome is not None:
                db.execute("INSERT INTO work_results VALUES (?, ?)", (outcome, job))
    return path


def test_a_survivors_run_forgets_the_survivors_and_keeps_the_kills(
    mutation: ModuleType, tmp_path: Path
) -> None:
    import sqlite3

    session = _session(
        tmp_path / "m.sqlite",
        {"a": "KILLED", "b": "SURVIVED", "c": "INCOMPETENT", "d": "SURVIVED"},
    )
    assert mutation._forget_survivors(session) == 2
    with sqlite3.connect(session) as db:
        kept = dict(db.execute("SELECT job_id, test_outcome FROM work_results").fetchall())
    assert kept == {"a": "KILLED", "c": "INCOMPETENT"}


def test_a_survivors_run_refuses_an_unfinished_session(
    mutation: ModuleType, tmp_path: Path
) -> None:
    session = _session(tmp_path / "m.sqlite", {"a": "KILLED", "b": "SURVIVED", "c": None})
    with pytest.raises(mutation.ConfigError, match=r"unfinished \(1 mutants not run\)"):
        mutation._forget_survivors(session)


def test_a_stamp_of_another_format_or_none_is_not_trusted(
    mutation: ModuleType, tmp_path: Path
) -> None:
    stamp = tmp_path / "m.fingerprint"
    assert mutation._read_stamp(stamp) == {}
    stamp.write_text("0" * 64, encoding="utf-8")  # an older format: one hash
    assert mutation._read_stamp(stamp) == {}
    stamp.write_text('{"mutants": "x", "tests": "y"}', encoding="utf-8")
    assert mutation._read_stamp(stamp) == {"mutants": "x", "tests": "y"}


def _named_file(tmp_path: Path, test: str, module: str = "pmo_core/_evm.py") -> Path:
    path = tmp_path / "named.toml"
    path.write_text(
        f'[[named]]\nmodule = "{module}"\noperator = "core/AddNot"\n'
        f'before = "if a:"\nafter = "if not a:"\ngap = "a guard turned round"\ntest = "{test}"\n',
        encoding="utf-8",
    )
    return path


def test_named_mutants_each_name_their_gap_and_an_existing_test(mutation: ModuleType) -> None:
    config = mutation.load_config()
    assert config.named, "tests/mutation/named.toml lists the gaps tests were written for"
    for named in config.named:
        assert named.gap.strip()
        assert named.module in {m.path for m in config.modules}


def test_a_named_mutant_whose_test_does_not_exist_is_an_error(
    mutation: ModuleType, tmp_path: Path
) -> None:
    this = "tests/meta/test_mutation_config.py"
    ok = _named_file(tmp_path, f"{this}::test_a_named_mutant_whose_test_does_not_exist_is_an_error")
    assert len(mutation.load_named(ok, {"pmo_core/_evm.py"})) == 1
    for test in (f"{this}::test_nope", "tests/meta/test_nope.py::test_a", this):
        with pytest.raises(mutation.ConfigError, match=f"entry 1: no test {test}"):
            mutation.load_named(_named_file(tmp_path, test), {"pmo_core/_evm.py"})
    with pytest.raises(mutation.ConfigError, match=r"not in mutation\.toml"):
        mutation.load_named(_named_file(tmp_path, "x::y", "pmo_core/_nope.py"), {"a"})


def test_each_named_mutant_is_reported_killed_survived_or_missing(
    mutation: ModuleType, capsys: pytest.CaptureFixture[str]
) -> None:
    def named(before: str) -> object:
        return mutation.Named("m.py", "core/AddNot", before, "x", "gap", "t.py::test")

    config = mutation.Config(90, 1, (), (), (), "e.toml", (named("a"), named("b")), "n.toml")
    score = mutation.Score("m.py", mutants=2)
    score.outcomes = {("core/AddNot", "a", "x"): (12, False), ("core/AddNot", "b", "x"): (13, True)}
    outcomes = mutation.named_outcomes(config, [score])
    assert [(o, line) for _, o, line in outcomes] == [("killed", 12), ("survived", 13)]
    assert mutation._report_named(config, outcomes) == 1
    assert "named mutants (n.toml): 1 of 2 killed" in capsys.readouterr().out

    score.outcomes = {("core/AddNot", "a", "x"): (12, False)}
    outcomes = mutation.named_outcomes(config, [score])
    assert [o for _, o, _ in outcomes] == ["killed", "missing"]
    assert mutation._report_named(config, outcomes) == 2
    assert "matches no mutant of its module any more" in capsys.readouterr().out
    # A module that did not run judges none of its entries.
    assert mutation.named_outcomes(config, []) == []
