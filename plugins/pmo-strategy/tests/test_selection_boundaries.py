"""The optimiser at its edges: the false side of every comparison, the documented defaults,
the exact messages of refusals and of left-out proposals, frozen results, the order of
results, and the retry loop that keeps the solver's float tolerance from choosing a set over
a limit (pinned down with a stand-in solver)."""

from __future__ import annotations

import dataclasses
import os
import sys
from collections.abc import Callable
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
import scipy.optimize
from pmo_strategy import (
    MARGINAL_CELLS,
    Candidate,
    Constraint,
    FrontierPoint,
    Limits,
    Marginal,
    Selection,
    SelectionInfeasibleError,
    frontier,
    marginal_value,
    optimum,
    select,
)
from pmo_strategy import _selection as impl

from pmo_core import InvalidInputError

D = Decimal
DEV = ("Developer", "2027-03")
ANALYST = ("Analyst", "2027-06")


def _infeasible(cands: list[Candidate], limits: Limits) -> SelectionInfeasibleError:
    with pytest.raises(SelectionInfeasibleError) as caught:
        select(cands, limits)
    return caught.value


# ------------------------------------------------------------------ constants, values, texts


def test_marginal_values_go_to_every_binding_budget_and_the_four_cells_keeping_most_out() -> None:
    # Five binding cells (each keeps one proposal of its own out) and a binding budget that
    # keeps more value out than any cell: the budget and the four cells keeping the most
    # value out are measured (not the first four by name, nor the four keeping the least).
    assert MARGINAL_CELLS == 4
    values = {"A": 1, "B": 5, "C": 4, "D": 3, "E": 2}
    cands = [
        Candidate(f"X{role}", D(v), hours={(role, "2027-01"): D(20)}) for role, v in values.items()
    ]
    cands.append(Candidate("Y", D(100), costs={2027: D(200)}))
    limits = Limits(budgets={2027: D(100)}, capacity={(role, "2027-01"): D(10) for role in values})
    result = select(cands, limits)
    assert result.chosen == ()
    assert [c.name for c in result.binding] == [
        "budget 2027",
        *(f"capacity {role} 2027-01" for role in "ABCDE"),
    ]
    assert [m.constraint for m in result.marginals] == [
        "budget 2027",
        "capacity B 2027-01",
        "capacity C 2027-01",
        "capacity D 2027-01",
        "capacity E 2027-01",
    ]
    assert select(cands, limits, marginals=False).marginals == ()


@pytest.mark.parametrize(
    "made",
    [
        Candidate("A", D(1)),
        Limits(),
        Marginal("budget 2027", D(1), D(1), D(1)),
        Constraint("budget 2027", "budget", D(1), D(1), binding=False),
        Selection((), D(0), {}, {}, (), {}),
        FrontierPoint(D(1), {}, D(0), D(0), ()),
    ],
    ids=lambda made: type(made).__name__,
)
def test_results_and_inputs_are_frozen(made: object) -> None:
    field = dataclasses.fields(made)[0].name  # type: ignore[arg-type]
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(made, field, None)


def test_slack_is_the_limit_less_what_is_used() -> None:
    assert Constraint("budget 2027", "budget", D(1000), D(800), binding=False).slack == 200
    result = select([Candidate("A", D(1), costs={2027: D(300)})], Limits(budgets={2027: D(1000)}))
    assert [c.slack for c in result.constraints] == [D(700)]


@pytest.mark.parametrize(
    ("amount", "unit", "text"),
    [
        ("999.99", "EUR", "999.99 EUR"),
        ("1000.01", "EUR", "1,000.01 EUR"),
        ("1000.00", "EUR", "1,000 EUR"),
        ("1300000", "EUR", "1,300,000 EUR"),
        ("0.5", "", "0.50"),
        ("-1234.5", "h", "-1,234.50 h"),
    ],
)
def test_amount_text_shows_cents_only_when_there_are_some(
    amount: str, unit: str, text: str
) -> None:
    assert impl.amount_text(D(amount), unit) == text


# ----------------------------------------------------------------------- refusals before solving


def test_a_proposal_given_twice_is_refused() -> None:
    with pytest.raises(InvalidInputError) as caught:
        select([Candidate("A", D(1)), Candidate("A", D(2))], Limits())
    assert caught.value.message == "proposal A is given twice"
    assert not isinstance(caught.value, SelectionInfeasibleError)


@pytest.mark.parametrize("way", ["forced_in", "forced_out"])
def test_forcing_an_unknown_proposal_is_refused(way: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        select([Candidate("A", D(1))], Limits(**{way: ("NOPE",)}))
    assert caught.value.message == "no proposal 'NOPE' to force in or out"


def test_forced_both_in_and_out_names_the_first_such_proposal() -> None:
    cands = [Candidate("B", D(1)), Candidate("A", D(1))]
    error = _infeasible(cands, Limits(forced_in=("B", "A"), forced_out=("B", "A")))
    assert error.message == "proposal A is forced both in and out"
    assert error.constraint == "forced A"


def test_every_dependency_of_a_mandatory_proposal_is_checked_past_a_shared_one() -> None:
    # M needs Y, D and X; X needs D too. D is reached twice, and Y after it: Y is forced out.
    cands = [
        Candidate("M", D(1), mandatory=True, depends_on=("Y", "D", "X")),
        Candidate("X", D(1), depends_on=("D",)),
        Candidate("D", D(1)),
        Candidate("Y", D(1)),
    ]
    error = _infeasible(cands, Limits(forced_out=("Y",)))
    assert error.message == "mandatory proposal M needs Y, which is forced out"
    assert error.constraint == "dependency M Y"


def test_mandatory_proposals_exactly_at_the_budget_with_one_not_costing_that_year() -> None:
    cands = [
        Candidate("A", D(1), costs={2027: D(1000)}, mandatory=True),
        Candidate("B", D(1), costs={2028: D(5)}, mandatory=True),
    ]
    limits = Limits(budgets={2027: D(1000), 2028: D(5)})
    assert select(cands, limits).chosen == ("A", "B")
    over = [Candidate("A", D(1), costs={2027: D(1001)}, mandatory=True), cands[1]]
    error = _infeasible(over, Limits(budgets={2027: D(1000), 2028: D(5)}, currency="EUR"))
    assert error.message == "mandatory proposal A needs 1,001 EUR in 2027; the budget is 1,000 EUR"
    assert error.constraint == "budget 2027"


def test_mandatory_proposals_exactly_at_capacity_with_one_not_using_that_cell() -> None:
    cands = [
        Candidate("A", D(1), hours={DEV: D(100)}, mandatory=True),
        Candidate("B", D(1), hours={ANALYST: D(5)}, mandatory=True),
    ]
    assert select(cands, Limits(capacity={DEV: D(100), ANALYST: D(5)})).chosen == ("A", "B")
    over = [Candidate("A", D(1), hours={DEV: D(101)}, mandatory=True), cands[1]]
    error = _infeasible(over, Limits(capacity={DEV: D(100), ANALYST: D(5)}))
    assert error.message == (
        "mandatory proposal A needs 101 hours of Developer in 2027-03; "
        "the capacity left is 100 hours"
    )
    assert error.constraint == "capacity Developer 2027-03"


def test_a_negative_budget_nothing_can_meet_is_refused_before_the_solver() -> None:
    error = _infeasible([Candidate("A", D(1), costs={2028: D(5)})], Limits(budgets={2027: D(-1)}))
    assert error.constraint == "budget 2027"
    assert error.message == "the proposals need at least 0 in 2027; the budget is -1"


def test_a_saving_that_is_not_mandatory_can_make_the_mandatory_proposals_fit() -> None:
    # {A, B} spends 120 - 50 = 70 of a budget of 100.
    cands = [
        Candidate("A", D(1), costs={2027: D(120)}, mandatory=True),
        Candidate("B", D(1), costs={2027: D(-50)}),
    ]
    assert select(cands, Limits(budgets={2027: D(100)})).chosen == ("A", "B")
    # Hours given back by an optional proposal count the same way.
    cell = ("Developer", "2027-03")
    staffed = [
        Candidate("A", D(1), hours={cell: D(120)}, mandatory=True),
        Candidate("B", D(1), hours={cell: D(-50)}),
    ]
    assert select(staffed, Limits(capacity={cell: D(100)})).chosen == ("A", "B")


def test_mandatory_proposals_no_saving_can_fit_are_refused_naming_the_savings() -> None:
    cands = [
        Candidate("A", D(1), costs={2027: D(180)}, mandatory=True),
        Candidate("B", D(1), costs={2027: D(-50)}),
        Candidate("C", D(1), costs={2027: D(-20)}),
        Candidate("X", D(1), costs={2027: D(-500)}),  # forced out: its saving is not offered
    ]
    error = _infeasible(cands, Limits(budgets={2027: D(100)}, forced_out=("X",)))
    assert error.message == (
        "mandatory proposal A needs 180 in 2027; the budget is 100, even with every saving "
        "the other proposals offer (70)"
    )
    assert error.constraint == "budget 2027"


def test_two_mandatory_proposals_excluding_each_other_directly_name_no_third() -> None:
    cands = [
        Candidate("A", D(1), mandatory=True, excludes=("B",)),
        Candidate("B", D(1), mandatory=True),
    ]
    error = _infeasible(cands, Limits())
    assert error.message == "mandatory proposals A and B exclude each other"
    assert error.constraint == "exclusion A B"


def test_a_cycle_is_named_once_in_its_message_and_constraint() -> None:
    cycle = [
        Candidate("A", D(1), depends_on=("B",)),
        Candidate("B", D(1), depends_on=("C",)),
        Candidate("C", D(1), depends_on=("A",)),
    ]
    error = _infeasible(cycle, Limits())
    assert error.message == "proposals depend on each other in a cycle: A -> B -> C -> A"
    assert error.constraint == "cycle A B C"


def test_a_cycle_through_a_second_dependency_is_found() -> None:
    cands = [
        Candidate("A", D(1), depends_on=("B", "C")),
        Candidate("B", D(1)),
        Candidate("C", D(1), depends_on=("A",)),
    ]
    error = _infeasible(cands, Limits())
    assert error.message == "proposals depend on each other in a cycle: A -> C -> A"
    assert error.constraint == "cycle A C"


def test_a_shared_dependency_is_no_cycle() -> None:
    # A needs B and C, both need D: D is reached twice, finished the first time.
    cands = [
        Candidate("A", D(4), depends_on=("B", "C")),
        Candidate("B", D(1), depends_on=("D",)),
        Candidate("C", D(1), depends_on=("D",)),
        Candidate("D", D(1)),
    ]
    assert select(cands, Limits()).chosen == ("A", "B", "C", "D")


def test_a_cycle_after_an_already_checked_proposal_is_found() -> None:
    # X's dependency Y is checked from X; the loop must still go on to P and Q.
    cands = [
        Candidate("X", D(1), depends_on=("Y",)),
        Candidate("Y", D(1)),
        Candidate("P", D(1), depends_on=("Q",)),
        Candidate("Q", D(1), depends_on=("P",)),
    ]
    assert _infeasible(cands, Limits()).constraint == "cycle P Q"


def test_a_proposal_may_depend_on_hundreds_of_others() -> None:
    deps = tuple(f"D{i:03d}" for i in range(300))
    cands = [Candidate("A", D(1000), depends_on=deps), *(Candidate(k, D(0)) for k in deps)]
    result = select(cands, Limits(), marginals=False)
    assert result.chosen == ("A", *deps)


# ----------------------------------------------------------------------------------- solving


def test_proposals_all_of_no_value_choose_nothing() -> None:
    cands = [Candidate("A", D(0), costs={2027: D(60)}), Candidate("B", D(0))]
    result = select(cands, Limits(budgets={2027: D(100)}))
    assert result.chosen == ()
    assert result.value == 0
    assert result.left_out == {"A": "adds no value", "B": "adds no value"}


@pytest.mark.parametrize("scale", ["1e-5", "1e10"])
def test_values_far_from_one_are_maximised_like_whole_ones(scale: str) -> None:
    # 60 + 50 or 50 + 50 of a budget of 100: B and C (3.5) beat A (3).
    unit = D(scale)
    cands = [
        Candidate("A", 3 * unit, costs={2027: D(60)}),
        Candidate("B", 2 * unit, costs={2027: D(50)}),
        Candidate("C", D("1.5") * unit, costs={2027: D(50)}),
    ]
    result = select(cands, Limits(budgets={2027: D(100)}), marginals=False)
    assert result.chosen == ("B", "C")
    assert result.value == D("3.5") * unit


def test_values_a_few_in_a_hundred_thousand_apart_still_give_the_exact_optimum() -> None:
    # Within HiGHS's default relative gap (1e-4) it may stop at 1,000,242; brute force over
    # the 2**16 sets gives 1,000,314 (the proposals 4-6, 8-10 and 12-15).
    values = [100005, 100005, 100023, 100010, 100047, 100042, 100019, 100016]
    values += [100038, 100013, 100038, 100002, 100037, 100043, 100010, 100027]
    costs = [131, 100, 142, 115, 97, 119, 106, 114, 84, 54, 53, 96, 109, 90, 98, 104]
    cands = [
        Candidate(f"K{i:02d}", D(v), costs={2027: D(c)})
        for i, (v, c) in enumerate(zip(values, costs, strict=True))
    ]
    keys, value = optimum(cands, Limits(budgets={2027: D(914)}))
    assert value == 1000314
    assert keys == tuple(f"K{i:02d}" for i in (4, 5, 6, 8, 9, 10, 12, 13, 14, 15))


def test_the_optimum_of_no_proposals_is_empty_and_worth_nothing() -> None:
    assert optimum([], Limits(budgets={2027: D(10)})) == ((), D(0))


class _Solver:
    """A stand-in for ``scipy.optimize.milp`` that answers the given choices in turn (the
    last one again when they run out), recording each call's row upper bounds."""

    def __init__(self, *answers: list[int] | None) -> None:
        self.answers = list(answers)
        self.bounds: list[list[float]] = []

    def __call__(
        self, c: Any, *, integrality: Any, bounds: Any, constraints: Any, options: Any
    ) -> SimpleNamespace:
        self.bounds.append([float(v) for v in constraints[0].ub])
        x = self.answers[min(len(self.bounds), len(self.answers)) - 1]
        return SimpleNamespace(
            x=None if x is None else np.array(x, dtype=float), message="stand-in verdict"
        )


@pytest.fixture
def solver(monkeypatch: pytest.MonkeyPatch) -> Callable[..., _Solver]:
    def install(*answers: list[int] | None) -> _Solver:
        fake = _Solver(*answers)
        monkeypatch.setattr(scipy.optimize, "milp", fake)
        return fake

    return install


def test_a_set_over_a_limit_is_solved_again_below_it_by_a_margin_growing_tenfold(
    solver: Callable[..., _Solver],
) -> None:
    # A costs 150 of a budget of 100 (the row scaled by 150). Each time the solver answers A,
    # the row is tightened by what A is over (50) and set below that by 1e-6, 1e-5, 1e-4...
    fake = solver([1], [1], [1], [0])
    cands = [Candidate("A", D(1), costs={2027: D(150)})]
    result = select(cands, Limits(budgets={2027: D(100)}), marginals=False)
    assert result.chosen == ()
    assert result.left_out == {"A": "budget 2027: needs 150, 100 left"}
    expected = [100 / 150, 50 / 150 - 1e-6, 0 - 1e-5, -50 / 150 - 1e-4]
    assert [b[0] for b in fake.bounds] == pytest.approx(expected, rel=1e-12, abs=1e-15)


def test_a_set_exactly_at_the_limit_is_taken_without_solving_again(
    solver: Callable[..., _Solver],
) -> None:
    fake = solver([1, 1])
    cands = [Candidate("A", D(1), costs={2027: D(60)}), Candidate("B", D(1), costs={2027: D(40)})]
    assert select(cands, Limits(budgets={2027: D(100)}), marginals=False).chosen == ("A", "B")
    assert len(fake.bounds) == 1


def test_the_solver_keeps_choosing_over_the_limit_so_after_twelve_tries_a_one_line_error(
    solver: Callable[..., _Solver],
) -> None:
    # 100 proposals of 1 against a budget of 0: each answer is 100 over, so the bound falls by
    # 100 each time, less a margin of 1e-6 (or a billionth of the bound, when larger) times
    # 10 ** attempt.
    fake = solver([1] * 100)
    cands = [Candidate(f"K{i:03d}", D(1), costs={2027: D(1)}) for i in range(100)]
    error = _infeasible(cands, Limits(budgets={2027: D(0)}))
    assert error.message == (
        "the solver keeps choosing a set over a limit by rounding; scale the amounts down"
    )
    assert error.constraint == "limits"
    assert [b[0] for b in fake.bounds] == pytest.approx(
        [
            0,
            -100.000001,
            -200.00001,
            -300.0001,
            -400.001,
            -500.01,
            -600.1,
            -701,
            -810,
            -900 - 100,
            -1000 - 1000,
            -1100 - 11000,
        ],
        rel=1e-12,
    )


def test_a_solver_finding_no_selection_is_one_line_naming_the_limits(
    solver: Callable[..., _Solver],
) -> None:
    solver(None)
    error = _infeasible([Candidate("A", D(1), costs={2027: D(1)})], Limits(budgets={2027: D(5)}))
    assert error.message == "no selection meets the limits (stand-in verdict)"
    assert error.constraint == "limits"


class _NoFileno:
    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass


class _FilenoFails(_NoFileno):
    def fileno(self) -> int:
        raise OSError("no descriptor")


def test_solver_output_is_muted_on_descriptor_1_when_stdout_has_no_descriptor(
    capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for stdout in (_NoFileno(), _FilenoFails()):
        monkeypatch.setattr(sys, "stdout", stdout)
        with impl._quiet():
            os.write(1, b"solver noise\n")
        os.write(1, b"after\n")
        assert capfd.readouterr().out == "after\n"


def test_solving_goes_on_unmuted_when_the_descriptor_cannot_be_duplicated(
    capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    read, write = os.pipe()
    os.close(read)
    os.close(write)

    class Closed(_NoFileno):
        def fileno(self) -> int:
            return write

    monkeypatch.setattr(sys, "stdout", Closed())
    with impl._quiet():
        os.write(1, b"solver noise\n")
    assert capfd.readouterr().out == "solver noise\n"
    result = select([Candidate("A", D(1))], Limits())
    assert result.chosen == ("A",)


# ------------------------------------------------------------------------------ idle proposals


def _idle(cands: list[Candidate], chosen: list[bool], limits: Limits | None = None) -> list[str]:
    flags = impl._without_idle(cands, limits or Limits(), list(chosen))
    return [c.key for c, on in zip(cands, flags, strict=True) if on]


def test_a_chosen_proposal_of_no_value_that_nothing_needs_is_dropped() -> None:
    cands = [
        Candidate("Z", D(0), costs={2027: D(10)}),
        Candidate("V", D(5), costs={2027: D(10)}),
        Candidate("N", D(-1), costs={2027: D(10)}),
    ]
    assert _idle(cands, [True, True, True]) == ["V", "N"]


def test_a_proposal_of_no_value_is_kept_when_mandatory_forced_in_or_needed() -> None:
    cands = [
        Candidate("M", D(0), mandatory=True),
        Candidate("F", D(0)),
        Candidate("A", D(5), depends_on=("B",)),
        Candidate("B", D(0), depends_on=("C",)),
        Candidate("C", D(0)),
    ]
    assert _idle(cands, [True] * 5, Limits(forced_in=("F",))) == ["M", "F", "A", "B", "C"]
    # Without A, B is idle; once B is dropped, C is idle too.
    assert _idle(cands, [True, True, False, True, True], Limits(forced_in=("F",))) == ["M", "F"]


@pytest.mark.parametrize(
    ("costs", "hours", "dropped"),
    [
        ({2027: D(0)}, {}, True),
        ({2027: D("0.5")}, {DEV: D(0)}, True),
        ({2027: D("-0.5")}, {}, False),
        ({}, {DEV: D("-0.5")}, False),
    ],
)
def test_only_a_proposal_of_no_value_freeing_nothing_is_dropped(
    costs: dict[int, Decimal], hours: dict[tuple[str, str], Decimal], dropped: bool
) -> None:
    cands = [Candidate("Z", D(0), costs=costs, hours=hours)]
    assert _idle(cands, [True]) == ([] if dropped else ["Z"])


# ------------------------------------------------------------------------ why a proposal is out


def test_a_chosen_dependency_is_not_counted_the_unchosen_one_is() -> None:
    # A needs C and B; only B is chosen (B and C do not fit together).
    cands = [
        Candidate("A", D(10), costs={2027: D(60)}, depends_on=("C", "B")),
        Candidate("B", D(5), costs={2027: D(10)}),
        Candidate("C", D(1), costs={2027: D(55)}),
    ]
    result = select(cands, Limits(budgets={2027: D(60)}))
    assert result.chosen == ("B",)
    assert result.left_out == {
        "A": "with C: budget 2027: needs 115, 50 left",
        "C": "budget 2027: needs 55, 50 left",
    }


def test_a_dependency_forced_out_keeps_its_dependant_out() -> None:
    cands = [Candidate("A", D(10), depends_on=("B",)), Candidate("B", D(1))]
    result = select(cands, Limits(forced_out=("B",)))
    assert result.chosen == ()
    assert result.left_out == {"A": "needs B, which is forced out", "B": "forced out"}


def test_an_exclusion_through_a_dependency_names_the_dependency() -> None:
    cands = [
        Candidate("A", D(10), depends_on=("Z",)),
        Candidate("Z", D(1), excludes=("X",)),
        Candidate("X", D(20)),
    ]
    result = select(cands, Limits())
    assert result.chosen == ("X",)
    assert result.left_out == {
        "A": "Z (which it needs) excludes X (chosen)",
        "Z": "Z excludes X (chosen)",
    }
    # The same with a dependency named before the proposal.
    cands = [
        Candidate("M", D(10), depends_on=("B",)),
        Candidate("B", D(1), excludes=("X",)),
        Candidate("X", D(20)),
    ]
    assert select(cands, Limits()).left_out["M"] == "B (which it needs) excludes X (chosen)"


def test_dependencies_excluding_each_other_are_named() -> None:
    one = [
        Candidate("A", D(10), depends_on=("B", "C")),
        Candidate("B", D(0), excludes=("C",)),
        Candidate("C", D(0)),
    ]
    assert select(one, Limits()).left_out["A"] == "needs B and C, which exclude each other"
    # D excludes both C and B: the first of them reached is named.
    two = [
        Candidate("A", D(10), depends_on=("B", "C", "D")),
        Candidate("B", D(0)),
        Candidate("C", D(0)),
        Candidate("D", D(0), excludes=("B", "C")),
    ]
    assert select(two, Limits()).left_out["A"] == "needs D and C, which exclude each other"


def test_a_group_counts_only_what_each_member_spends_in_each_year() -> None:
    # B fills 2028. A (2027 only) needs C (2028 only).
    cands = [
        Candidate("A", D(10), costs={2027: D(150)}, depends_on=("C",)),
        Candidate("B", D(5), costs={2028: D(50)}),
        Candidate("C", D(1), costs={2028: D(10)}),
    ]
    result = select(cands, Limits(budgets={2027: D(100), 2028: D(50)}))
    assert result.chosen == ("B",)
    assert result.left_out == {
        "A": "with C: budget 2027: needs 150, 100 left; budget 2028: needs 10, 0 left",
        "C": "budget 2028: needs 10, 0 left",
    }
    alone = [Candidate("A", D(10), costs={2027: D(150)}), cands[1]]
    result = select(alone, Limits(budgets={2027: D(100), 2028: D(50)}))
    assert result.left_out == {"A": "budget 2027: needs 150, 100 left"}


def test_a_group_counts_only_the_hours_each_member_needs_in_each_cell() -> None:
    cands = [
        Candidate("A", D(10), hours={DEV: D(150)}, depends_on=("C",)),
        Candidate("B", D(5), hours={ANALYST: D(50)}),
        Candidate("C", D(1), hours={ANALYST: D(10)}),
    ]
    result = select(cands, Limits(capacity={DEV: D(100), ANALYST: D(50)}))
    assert result.chosen == ("B",)
    assert result.left_out == {
        "A": "with C: capacity Analyst 2027-06: needs 10 h, 0 h left; "
        "capacity Developer 2027-03: needs 150 h, 100 h left",
        "C": "capacity Analyst 2027-06: needs 10 h, 0 h left",
    }
    alone = [Candidate("A", D(10), hours={DEV: D(150)}), cands[1]]
    result = select(alone, Limits(capacity={DEV: D(100), ANALYST: D(50)}))
    assert result.left_out == {"A": "capacity Developer 2027-03: needs 150 h, 100 h left"}


def test_only_the_limits_a_proposal_would_break_are_named() -> None:
    # A fits 2028 and exactly fits the Developer hours; only 2027 keeps it out.
    limits = Limits(budgets={2027: D(100), 2028: D(50)}, capacity={DEV: D(100), ANALYST: D(50)})
    money = Candidate("A", D(10), costs={2027: D(150), 2028: D(10)}, hours={DEV: D(100)})
    assert select([money], limits).left_out == {"A": "budget 2027: needs 150, 100 left"}
    # B exactly fits 2027 and fits the Analyst hours; only the Developer hours keep it out.
    hours = Candidate("B", D(10), costs={2027: D(100)}, hours={DEV: D(150), ANALYST: D(10)})
    assert select([hours], limits).left_out == {
        "B": "capacity Developer 2027-03: needs 150 h, 100 h left"
    }


def test_capacity_a_hundredth_short_is_named_with_what_is_left() -> None:
    result = select([Candidate("A", D(5), hours={DEV: D(100)})], Limits(capacity={DEV: D("99.99")}))
    assert result.left_out == {"A": "capacity Developer 2027-03: needs 100 h, 99.99 h left"}
    assert [(c.name, c.used) for c in result.constraints] == [("capacity Developer 2027-03", 0)]


def test_the_group_of_a_left_out_proposal_lists_the_others_in_the_order_reached() -> None:
    cands = [
        Candidate("M", D(10), costs={2027: D(10)}, depends_on=("X", "B")),
        Candidate("B", D(1), costs={2027: D(60)}),
        Candidate("X", D(1), costs={2027: D(60)}),
    ]
    result = select(cands, Limits(budgets={2027: D(50)}))
    assert result.left_out["M"] == "with B, X: budget 2027: needs 130, 50 left"


def test_only_a_proposal_of_positive_value_makes_a_limit_binding() -> None:
    limits = Limits(budgets={2027: D(5)})
    negative = select([Candidate("N", D(-1), costs={2027: D(10)})], limits)
    assert negative.left_out == {"N": "budget 2027: needs 10, 5 left"}
    assert negative.binding == ()
    for value in ("1", "0.5"):
        positive = select([Candidate("P", D(value), costs={2027: D(10)})], limits)
        assert [c.name for c in positive.binding] == ["budget 2027"]


@pytest.mark.parametrize("cells", [(DEV, ANALYST), (ANALYST, DEV)])
def test_every_limit_is_listed_with_what_the_chosen_set_uses_of_it(
    cells: tuple[tuple[str, str], ...],
) -> None:
    # Whichever order the capacity is given in, each cell's use is its own.
    cands = [
        Candidate("A", D(10), costs={2027: D(600)}, hours={DEV: D(60)}),
        Candidate("B", D(5), costs={2027: D(500)}, hours={ANALYST: D(40)}),
        Candidate("C", D(1), costs={2028: D(2000)}),
    ]
    hours = {DEV: D(100), ANALYST: D(60)}
    limits = Limits(budgets={2028: D(1000), 2027: D(1000)}, capacity={c: hours[c] for c in cells})
    result = select(cands, limits)
    assert result.chosen == ("A",)
    assert [(c.name, c.kind, c.limit, c.used, c.binding) for c in result.constraints] == [
        ("budget 2027", "budget", D(1000), D(600), True),
        ("budget 2028", "budget", D(1000), D(0), True),
        ("capacity Analyst 2027-06", "capacity", D(60), D(0), False),
        ("capacity Developer 2027-03", "capacity", D(100), D(60), False),
    ]


# ---------------------------------------------------------------------------- marginal values


def _marginal_case() -> list[Candidate]:
    return [
        Candidate("A", D(10), costs={2027: D(200)}, hours={("Dev", "2027-02"): D(20)}),
        Candidate("B", D(7), costs={2027: D(20)}, hours={("Dev", "2027-02"): D(2)}),
    ]


@pytest.mark.parametrize("years", [(2026, 2027, 2028), (2028, 2027, 2026)])
def test_the_marginal_value_relaxes_the_named_budget_only(years: tuple[int, ...]) -> None:
    limits = Limits(budgets={y: D(100 * (y - 2025)) for y in years})
    m = marginal_value(_marginal_case(), limits, "budget 2027", D(10))
    assert (m.constraint, m.step, m.gain, m.per_unit) == ("budget 2027", 20, 7, D("0.35"))
    given = marginal_value(_marginal_case(), limits, "budget 2027", D(10), budget_step=D(50))
    assert (given.step, given.gain, given.per_unit) == (50, 7, D("0.14"))


@pytest.mark.parametrize("months", [("01", "02", "03"), ("03", "02", "01")])
def test_the_marginal_value_relaxes_the_named_cell_only(months: tuple[str, ...]) -> None:
    limits = Limits(capacity={("Dev", f"2027-{m}"): D(10 * int(m)) for m in months})
    m = marginal_value(_marginal_case(), limits, "capacity Dev 2027-02", D(10))
    assert (m.step, m.gain, m.per_unit) == (2, 7, D("3.5"))
    given = marginal_value(
        _marginal_case(), limits, "capacity Dev 2027-02", D(10), capacity_step=D(5)
    )
    assert (given.step, given.gain, given.per_unit) == (5, 7, D("1.4"))


def test_a_step_of_zero_buys_nothing_per_unit() -> None:
    limits = Limits(budgets={2027: D(200)})
    m = marginal_value(_marginal_case(), limits, "budget 2027", D(10), budget_step=D(0))
    assert (m.step, m.gain, m.per_unit) == (0, 0, 0)


def test_the_marginal_value_of_an_unknown_limit_is_refused() -> None:
    with pytest.raises(InvalidInputError) as caught:
        marginal_value(_marginal_case(), Limits(budgets={2027: D(200)}), "budget 2031", D(10))
    assert caught.value.message == "no limit 'budget 2031'"


def test_the_default_step_is_at_least_one() -> None:
    # A tenth of 4 rounds to 0: the step is 1, enough for B.
    cands = [Candidate("A", D(10), costs={2027: D(4)}), Candidate("B", D(3), costs={2027: D(1)})]
    m = marginal_value(cands, Limits(budgets={2027: D(4)}), "budget 2027", D(10))
    assert (m.step, m.gain, m.per_unit) == (1, 3, 3)
    # A negative budget (a mandatory saving) is relaxed by 1 too, never by a negative step.
    saving = [Candidate("M", D(1), costs={2027: D(-30)}, mandatory=True)]
    m = marginal_value(saving, Limits(budgets={2027: D(-20)}), "budget 2027", D(1))
    assert (m.step, m.gain) == (1, 0)


# ----------------------------------------------------------------------------------- frontier


def _frontier_case() -> tuple[list[Candidate], Limits]:
    """M1 and M2 are mandatory, 100 in 2027 and 100 in 2028: the least factor is 100/200 of
    2028. Everything costs 400 in each year, twice the 2028 budget: the most factor is 2."""
    cands = [
        Candidate("M1", D(1), costs={2027: D(100)}, mandatory=True),
        Candidate("M2", D(1), costs={2028: D(100)}, mandatory=True),
        Candidate("A", D(10), costs={2027: D(200), 2028: D(100)}),
        Candidate("B", D(5), costs={2027: D(100)}),
        Candidate("C", D(3), costs={2028: D(200)}),
    ]
    return cands, Limits(budgets={2027: D(400), 2028: D(200)})


def test_the_frontier_runs_from_the_mandatory_proposals_to_everything() -> None:
    cands, limits = _frontier_case()
    points = frontier(cands, limits, points=3)
    assert [(p.factor, p.budgets, p.budget, p.value, p.chosen) for p in points] == [
        (D("0.5"), {2027: D(200), 2028: D(100)}, D(300), D(7), ("M1", "M2", "B")),
        (D("1.25"), {2027: D(500), 2028: D(250)}, D(750), D(17), ("M1", "M2", "A", "B")),
        (D(2), {2027: D(800), 2028: D(400)}, D(1200), D(20), ("M1", "M2", "A", "B", "C")),
    ]
    assert str(points[1].factor) == "1.2500"


def test_the_frontier_has_eleven_points_by_default_and_at_least_two() -> None:
    cands, limits = _frontier_case()
    points = frontier(cands, limits)
    assert len(points) == 11
    assert [p.factor for p in points][::5] == [D("0.5"), D("1.25"), D(2)]
    assert [p.factor for p in frontier(cands, limits, points=2)] == [D("0.5"), D(2)]
    with pytest.raises(InvalidInputError) as caught:
        frontier(cands, limits, points=1)
    assert caught.value.message == "a frontier needs at least 2 points"


def test_the_frontier_reaches_the_budgets_when_they_exceed_every_cost() -> None:
    points = frontier([Candidate("A", D(10), costs={2027: D(100)})], Limits({2027: D(1000)}), 2)
    assert [(p.budget, p.chosen) for p in points] == [(0, ()), (1000, ("A",))]


def test_the_frontier_without_budgets_scales_what_everything_costs_each_year() -> None:
    cands = [
        Candidate("A", D(10), costs={2027: D(300)}),
        Candidate("B", D(5), costs={2028: D(100)}),
    ]
    points = frontier(cands, Limits(), points=3)
    assert [p.budgets for p in points] == [
        {2027: 0, 2028: 0},
        {2027: 150, 2028: 50},
        {2027: 300, 2028: 100},
    ]
    assert [p.chosen for p in points] == [(), (), ("A", "B")]


def test_the_frontier_keeps_negative_budgets_and_budgets_no_proposal_uses() -> None:
    cands = [
        Candidate("M", D(1), costs={2028: D(-20)}, mandatory=True),
        Candidate("A", D(10), costs={2027: D(100)}),
    ]
    points = frontier(cands, Limits(budgets={2027: D(100), 2028: D(-10), 2030: D(50)}), 2)
    assert [(p.budgets, p.budget, p.chosen) for p in points] == [
        ({2027: 0, 2028: -10, 2030: 50}, 40, ("M",)),
        ({2027: 100, 2028: -10, 2030: 50}, 140, ("M", "A")),
    ]


def test_the_frontier_scales_a_budget_below_one() -> None:
    cands = [Candidate("A", D(10), costs={2027: D(100), 2028: D("0.5")})]
    points = frontier(cands, Limits(budgets={2027: D(100), 2028: D("0.5")}), points=2)
    assert [p.budgets for p in points] == [{2027: 0, 2028: 0}, {2027: 100, 2028: D("0.5")}]
    assert [p.chosen for p in points] == [(), ("A",)]


def test_the_frontier_of_proposals_costing_nothing_is_refused() -> None:
    with pytest.raises(InvalidInputError) as caught:
        frontier([Candidate("A", D(10))], Limits(), points=3)
    assert caught.value.message == "the proposals cost nothing: there is no frontier"


def test_the_frontier_starts_at_what_every_mandatory_dependency_costs() -> None:
    # M needs C, A and B; A needs B too: all four (100) are the least the budget can be.
    cands = [
        Candidate("M", D(1), costs={2027: D(10)}, mandatory=True, depends_on=("C", "A", "B")),
        Candidate("A", D(1), costs={2027: D(20)}, depends_on=("B",)),
        Candidate("B", D(1), costs={2027: D(30)}),
        Candidate("C", D(1), costs={2027: D(40)}),
        Candidate("E", D(1), costs={2027: D(100)}),
    ]
    points = frontier(cands, Limits(budgets={2027: D(200)}), points=2)
    assert [(p.factor, p.budget) for p in points] == [(D("0.5"), 100), (D(1), 200)]


def test_the_frontier_of_a_deep_ladder_of_shared_dependencies() -> None:
    # Each rung needs both proposals of the rung below: 2**40 paths, 81 proposals.
    cands = [Candidate("M", D(1), costs={2027: D(1)}, mandatory=True, depends_on=("L0a", "L0b"))]
    for i in range(40):
        below = (f"L{i + 1}a", f"L{i + 1}b") if i < 39 else ()
        cands += [Candidate(f"L{i}{s}", D(1), costs={2027: D(1)}, depends_on=below) for s in "ab"]
    points = frontier(cands, Limits(budgets={2027: D(162)}), points=2)
    assert [(p.budget, len(p.chosen)) for p in points] == [(81, 81), (162, 81)]


def test_optional_proposals_that_use_capacity_give_none_back() -> None:
    cell = ("Developer", "2027-03")
    # Mandatory A needs all the capacity; B would need more of it and gives nothing back.
    cands = [
        Candidate("A", D(1), hours={cell: D(100)}, mandatory=True),
        Candidate("B", D(1), hours={cell: D(10)}),
    ]
    assert select(cands, Limits(capacity={cell: D(100)})).chosen == ("A",)
    over = [
        Candidate("A", D(1), hours={cell: D(101)}, mandatory=True),
        Candidate("B", D(1), hours={cell: D(10)}),
        Candidate("C", D(1)),  # needs no one: gives nothing back either
    ]
    error = _infeasible(over, Limits(capacity={cell: D(100)}))
    assert error.message == (
        "mandatory proposal A needs 101 hours of Developer in 2027-03; the capacity left is "
        "100 hours"
    )
