"""The optimiser: a hand-built case with a known optimum, brute force on random cases,
boundaries, dependencies and exclusions both ways, and infeasible input in one line."""

from __future__ import annotations

import itertools
import random
from decimal import Decimal

import pytest
from pmo_strategy import Candidate, Limits, SelectionInfeasibleError, frontier, optimum, select

D = Decimal
DEV = ("Developer", "2027-03")
ANALYST = ("Analyst", "2027-06")


def known_case() -> tuple[list[Candidate], Limits]:
    """30 proposals. Budgets 1,000 in 2027 and 2028; 100 h of Developer in 2027-03 and 60 h of
    Analyst in 2027-06.

    - M (mandatory) costs 200 in 2027, value 1: 800 left in 2027.
    - P01..P20 cost 100 in 2027 each, value 30 - i; P01..P03 need 60 h of Developer each, so
      only one of them fits: P01. The 2027 budget then takes P01 and P04..P10 (8 x 100).
    - A01..A05 cost 200 in 2028, values 15..11; A01 and A02 need 40 h of Analyst each, so only
      A01: A01, A03, A04, A05 (800 of 2028, value 51).
    - D1 (value 25, 200 in 2028) depends on P20; X1 (value 30, free) excludes D1. With X1:
      1 + 29 + (26 + ... + 20) + 51 + 30 = 272. With D1 instead (P20 + D1 displace P10):
      1 + 29 + (26 + ... + 21) + 10 + 25 + 51 = 257. So X1, and 272 is the optimum.
    - Z1 (1,000 in 2027) and Z2 (1,001 in 2028) never fit.
    """
    cands = [Candidate("M", D(1), costs={2027: D(200)}, mandatory=True)]
    for i in range(1, 21):
        hours = {DEV: D(60)} if i <= 3 else {}
        cands.append(Candidate(f"P{i:02d}", D(30 - i), costs={2027: D(100)}, hours=hours))
    for i in range(1, 6):
        hours = {ANALYST: D(40)} if i <= 2 else {}
        cands.append(Candidate(f"A{i:02d}", D(16 - i), costs={2028: D(200)}, hours=hours))
    cands.append(Candidate("D1", D(25), costs={2028: D(200)}, depends_on=("P20",)))
    cands.append(Candidate("X1", D(30), excludes=("D1",)))
    cands.append(Candidate("Z1", D(40), costs={2027: D(1000)}))
    cands.append(Candidate("Z2", D(100), costs={2028: D(1001)}))
    limits = Limits(
        budgets={2027: D(1000), 2028: D(1000)},
        capacity={DEV: D(100), ANALYST: D(60)},
        currency="EUR",
    )
    return cands, limits


def test_known_case_returns_the_optimum_and_names_the_binding_constraints() -> None:
    cands, limits = known_case()
    assert len(cands) == 30
    result = select(cands, limits)
    assert result.value == 272
    assert set(result.chosen) == {
        "M",
        "P01",
        *(f"P{i:02d}" for i in range(4, 11)),
        "A01",
        "A03",
        "A04",
        "A05",
        "X1",
    }
    assert result.spend == {2027: D(1000), 2028: D(800)}
    assert result.use == {DEV: D(60), ANALYST: D(40)}
    assert [c.name for c in result.binding] == [
        "budget 2027",
        "budget 2028",
        "capacity Analyst 2027-06",
        "capacity Developer 2027-03",
    ]
    assert result.left_out["A02"] == "capacity Analyst 2027-06: needs 40 h, 20 h left"
    assert result.left_out["D1"] == "D1 excludes X1 (chosen)"
    assert result.left_out["P11"] == "budget 2027: needs 100 EUR, 0 EUR left"
    # The marginal value of a tenth more of the 2027 budget (100): one more P at 19.
    marginal = {m.constraint: m for m in result.marginals}
    assert marginal["budget 2027"].step == 100
    assert marginal["budget 2027"].gain == 19
    assert marginal["budget 2027"].per_unit == D("0.19")
    # 10 h more of Analyst (70) still does not fit a second 40 h: nothing gained.
    assert marginal["capacity Analyst 2027-06"].gain == 0
    assert optimum(cands, limits)[1] == 272


def _brute(cands: list[Candidate], limits: Limits) -> Decimal | None:
    keys = [c.key for c in cands]
    best: Decimal | None = None
    for bits in itertools.product((0, 1), repeat=len(cands)):
        chosen = {k for k, b in zip(keys, bits, strict=True) if b}
        ok = True
        for c in cands:
            if c.mandatory and c.key not in chosen:
                ok = False
            if c.key in chosen and (
                any(d not in chosen for d in c.depends_on) or any(x in chosen for x in c.excludes)
            ):
                ok = False
        if not ok:
            continue
        picked = [c for c in cands if c.key in chosen]
        for year, budget in limits.budgets.items():
            if sum((c.costs.get(year, D(0)) for c in picked), D(0)) > budget:
                ok = False
        for cell, hours in limits.capacity.items():
            if sum((c.hours.get(cell, D(0)) for c in picked), D(0)) > hours:
                ok = False
        if ok:
            value = sum((c.value for c in picked), D(0))
            best = value if best is None or value > best else best
    return best


def _random_case(seed: int, n: int) -> tuple[list[Candidate], Limits]:
    rng = random.Random(seed)
    cands = []
    for i in range(n):
        deps = (f"K{rng.randrange(i)}",) if i and rng.random() < 0.2 else ()
        excl = (f"K{rng.randrange(n)}",) if rng.random() < 0.15 else ()
        excl = tuple(x for x in excl if x != f"K{i}" and x not in deps)
        cands.append(
            Candidate(
                f"K{i}",
                D(rng.randint(1, 50)),
                costs={2027: D(rng.randint(0, 400)), 2028: D(rng.randint(0, 400)) / 100},
                hours={DEV: D(rng.randint(0, 80)), ANALYST: D(rng.choice([0, 0, 30, 45]))},
                mandatory=rng.random() < 0.05,
                depends_on=deps,
                excludes=excl,
            )
        )
    limits = Limits(
        budgets={2027: D(rng.randint(600, 1500)), 2028: D(rng.randint(500, 1500)) / 100},
        capacity={DEV: D(rng.randint(100, 300)), ANALYST: D(rng.randint(40, 120))},
    )
    return cands, limits


@pytest.mark.parametrize("seed", range(8))
def test_the_optimum_equals_brute_force(seed: int) -> None:
    cands, limits = _random_case(seed, 12 + seed % 3)
    best = _brute(cands, limits)
    if best is None:
        with pytest.raises(SelectionInfeasibleError):
            select(cands, limits)
        return
    result = select(cands, limits, marginals=False)
    assert result.value == best
    for year, budget in limits.budgets.items():
        assert result.spend.get(year, D(0)) <= budget
    for cell, hours in limits.capacity.items():
        assert result.use.get(cell, D(0)) <= hours


def test_a_proposal_exactly_fitting_the_budget_is_chosen_one_cent_over_is_not() -> None:
    fits = [Candidate("A", D(5), costs={2027: D("1000.00")})]
    assert select(fits, Limits(budgets={2027: D("1000.00")})).chosen == ("A",)
    over = [Candidate("A", D(5), costs={2027: D("1000.01")})]
    result = select(over, Limits(budgets={2027: D("1000.00")}, currency="EUR"))
    assert result.chosen == ()
    assert result.left_out == {"A": "budget 2027: needs 1,000.01 EUR, 1,000 EUR left"}
    under = [Candidate("A", D(5), costs={2027: D("999.99")})]
    assert select(under, Limits(budgets={2027: D("1000.00")})).chosen == ("A",)


def test_large_amounts_one_cent_over_are_never_chosen() -> None:
    # Floats cannot tell 10,000,000,000.01 from 10,000,000,000.00 apart in a solver's
    # tolerance; the Decimal check afterwards must.
    cands = [
        Candidate("A", D(5), costs={2027: D("6000000000.01")}),
        Candidate("B", D(5), costs={2027: D("4000000000.00")}),
    ]
    result = select(cands, Limits(budgets={2027: D("10000000000.00")}))
    assert result.value == 5
    assert result.spend[2027] <= D("10000000000.00")


def test_capacity_boundary() -> None:
    cands = [Candidate("A", D(5), hours={DEV: D(100)})]
    assert select(cands, Limits(capacity={DEV: D(100)})).chosen == ("A",)
    assert select(cands, Limits(capacity={DEV: D("99.99")})).chosen == ()


def test_dependencies_both_ways() -> None:
    # A needs B: A alone is worth it only with B; B alone may be chosen without A.
    cands = [
        Candidate("A", D(10), costs={2027: D(50)}, depends_on=("B",)),
        Candidate("B", D(1), costs={2027: D(50)}),
    ]
    assert select(cands, Limits(budgets={2027: D(100)})).chosen == ("A", "B")
    tight = select(cands, Limits(budgets={2027: D(99)}, currency="EUR"))
    assert tight.chosen == ("B",)
    assert tight.left_out["A"] == "budget 2027: needs 50 EUR, 49 EUR left"
    none = select(cands, Limits(budgets={2027: D(49)}, currency="EUR"))
    assert none.chosen == ()
    assert none.left_out["A"] == "with B: budget 2027: needs 100 EUR, 49 EUR left"
    # A dependency on something that is no proposal here: never chosen.
    lone = select([Candidate("A", D(10), depends_on=("GONE",))], Limits())
    assert lone.chosen == ()
    assert lone.left_out["A"] == "depends on GONE, not a proposal here"


@pytest.mark.parametrize("way", ["a-excludes-b", "b-excludes-a"])
def test_exclusions_both_ways(way: str) -> None:
    a_ex = ("B",) if way == "a-excludes-b" else ()
    b_ex = ("A",) if way == "b-excludes-a" else ()
    cands = [Candidate("A", D(10), excludes=a_ex), Candidate("B", D(7), excludes=b_ex)]
    result = select(cands, Limits())
    assert result.chosen == ("A",)
    assert result.left_out["B"] in ("B excludes A (chosen)",)
    forced = select(cands, Limits(forced_in=("B",)))
    assert forced.chosen == ("B",)
    assert forced.left_out["A"] == "A excludes B (chosen)"


def test_mandatory_and_forced() -> None:
    cands = [
        Candidate("A", D(10), costs={2027: D(60)}),
        Candidate("B", D(1), costs={2027: D(50)}, mandatory=True),
    ]
    result = select(cands, Limits(budgets={2027: D(100)}))
    assert result.chosen == ("B",)
    out = select([Candidate("A", D(10))], Limits(forced_out=("A",)))
    assert out.chosen == ()
    assert out.left_out["A"] == "forced out"


def test_mandatory_over_the_budget_is_one_line() -> None:
    cands = [
        Candidate("A", D(1), costs={2027: D(700000)}, mandatory=True),
        Candidate("B", D(1), costs={2027: D(600000)}, mandatory=True),
        Candidate("C", D(1), costs={2027: D(1)}),
    ]
    with pytest.raises(SelectionInfeasibleError) as caught:
        select(cands, Limits(budgets={2027: D(1200000)}, currency="EUR"))
    assert caught.value.message == (
        "mandatory proposals A, B need 1,300,000 EUR in 2027; the budget is 1,200,000 EUR"
    )
    assert caught.value.constraint == "budget 2027"
    assert "\n" not in str(caught.value)
    # Exactly the budget is feasible.
    assert select(cands, Limits(budgets={2027: D(1300000)})).chosen == ("A", "B")


def test_mandatory_over_capacity_counts_dependencies() -> None:
    cands = [
        Candidate("A", D(1), hours={DEV: D(60)}, mandatory=True, depends_on=("B",)),
        Candidate("B", D(1), hours={DEV: D(50)}),
    ]
    with pytest.raises(SelectionInfeasibleError) as caught:
        select(cands, Limits(capacity={DEV: D(100)}))
    assert caught.value.message == (
        "mandatory proposals A, B need 110 hours of Developer in 2027-03; "
        "the capacity left is 100 hours"
    )
    assert select(cands, Limits(capacity={DEV: D(110)})).chosen == ("A", "B")


def test_infeasible_structures() -> None:
    both = [
        Candidate("A", D(1), mandatory=True, excludes=("B",)),
        Candidate("B", D(1), mandatory=True),
    ]
    with pytest.raises(SelectionInfeasibleError, match="mandatory proposals A and B exclude"):
        select(both, Limits())
    via = [
        Candidate("A", D(1), mandatory=True, depends_on=("B",)),
        Candidate("B", D(1)),
        Candidate("C", D(1), mandatory=True, excludes=("B",)),
    ]
    with pytest.raises(
        SelectionInfeasibleError, match=r"B and C exclude each other \(needed by A\)"
    ):
        select(via, Limits())
    unknown = [Candidate("A", D(1), mandatory=True, depends_on=("NOPE",))]
    with pytest.raises(
        SelectionInfeasibleError, match="A depends on NOPE, which is not a proposal"
    ):
        select(unknown, Limits())
    forced = [Candidate("A", D(1), mandatory=True, depends_on=("B",)), Candidate("B", D(1))]
    with pytest.raises(SelectionInfeasibleError, match="needs B, which is forced out"):
        select(forced, Limits(forced_out=("B",)))
    cycle = [
        Candidate("A", D(1), depends_on=("B",)),
        Candidate("B", D(1), depends_on=("C",)),
        Candidate("C", D(1), depends_on=("A",)),
    ]
    with pytest.raises(SelectionInfeasibleError, match="cycle: A -> B -> C -> A"):
        select(cycle, Limits())


def test_frontier_is_monotone_and_each_point_exact() -> None:
    cands, limits = known_case()
    points = frontier(cands, limits, points=6)
    assert len(points) == 6
    values = [p.value for p in points]
    assert values == sorted(values)
    for p in points:
        assert optimum(cands, Limits(p.budgets, limits.capacity))[1] == p.value
    # The first point is the least that fits the mandatory M (200 of 2027).
    assert points[0].budgets[2027] >= 200
    with pytest.raises(SelectionInfeasibleError):
        select(cands, Limits({2027: D(199)}, limits.capacity))


def test_a_proposal_of_no_value_is_left_out_unless_needed() -> None:
    cands = [
        Candidate("A", D(0), costs={2027: D(10)}),
        Candidate("B", D(5), costs={2027: D(10)}, depends_on=("C",)),
        Candidate("C", D(0), costs={2027: D(10)}),
    ]
    result = select(cands, Limits(budgets={2027: D(100)}))
    assert result.chosen == ("B", "C")
    assert result.left_out == {"A": "adds no value"}
    # A limit that only a proposal of no value would break is not binding.
    tight = select(cands, Limits(budgets={2027: D(20)}))
    assert tight.left_out == {"A": "budget 2027: needs 10, 0 left"}
    assert tight.binding == ()


def test_a_negative_cost_frees_budget() -> None:
    # B saves 50 in 2027 (a negative cost): with it, A fits a budget of 100.
    cands = [
        Candidate("A", D(10), costs={2027: D(150)}),
        Candidate("B", D(1), costs={2027: D(-50)}),
    ]
    result = select(cands, Limits(budgets={2027: D(100)}))
    assert result.chosen == ("A", "B")
    assert result.spend == {2027: D(100)}
    only = select([Candidate("B", D(1), costs={2027: D(-50)})], Limits(budgets={2027: D(0)}))
    assert only.chosen == ("B",)


def test_frontier_keeps_a_zero_budget_year_at_zero() -> None:
    cands = [
        Candidate("A", D(10), costs={2027: D(100)}),
        Candidate("B", D(5), costs={2027: D(50), 2028: D(10)}),
    ]
    points = frontier(cands, Limits(budgets={2027: D(100), 2028: D(0)}), points=3)
    assert all(p.budgets[2028] == 0 for p in points)
    assert all("B" not in p.chosen for p in points)
    assert points[-1].chosen == ("A",)
