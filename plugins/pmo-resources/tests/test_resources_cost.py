"""The cost of demand: each working day's hours at the rate in effect that day, per currency,
with the hours no rate prices; figures by hand."""

from __future__ import annotations

from pmo_resources import demand_costs
from resources_support import d

from pmo_core import Allocation, Money, Rate, Resource, Workspace


def test_rates_by_day_currencies_and_unpriced_hours(ws: Workspace) -> None:
    for key in ("ALPHA", "BETA"):
        ws.create("project", id=key, name=key.title())
    kim = ws.add(
        Resource(
            name="Kim",
            rates=[
                Rate(effective_from=d(1, 1), per_hour="90 EUR"),
                Rate(effective_from=d(2, 3), per_hour="100 EUR"),  # a Monday
            ],
        )
    )
    lou = ws.add(Resource(name="Lou", rates=[Rate(effective_from=d(1, 29), per_hour="50 USD")]))
    # Kim 50 % (4 h a day) on 27-31 January at 90 and 3-7 February at 100:
    # 5 x 4 x 90 = 1800 + 5 x 4 x 100 = 2000 -> 3800 EUR.
    ws.add(Allocation(resource=kim.id, project="ALPHA", start=d(1, 27), finish=d(2, 7), percent=50))
    # Kim 10 % on 27-31 January: 5 x 0.8 x 90 = 360 EUR. Lou 20 h over 27-31 January, 4 h a
    # day: the 27th and 28th before Lou's first rate (8 h unpriced), 29-31 12 h x 50 = 600 USD.
    ws.add(Allocation(resource=kim.id, project="BETA", start=d(1, 27), finish=d(1, 31), percent=10))
    ws.add(Allocation(resource=lou.id, project="BETA", start=d(1, 27), finish=d(1, 31), hours=20))
    costs = demand_costs(ws.view(), d(1, 1), d(3, 31))
    assert [(c.project, c.costs, str(c.unpriced_hours)) for c in costs] == [
        ("ALPHA", (Money.parse("3800 EUR"),), "0.00"),
        ("BETA", (Money.parse("360 EUR"), Money.parse("600 USD")), "8.00"),
    ]
    # From the 29th: ALPHA 3 x 4 x 90 = 1080 + 2000 = 3080; the 31st and 3rd around the change.
    alpha = demand_costs(ws.view(), d(1, 29), d(3, 31))[0]
    assert alpha.costs == (Money.parse("3080 EUR"),)
    edge = demand_costs(ws.view(), d(1, 31), d(2, 3))[0]
    assert edge.costs == (Money.parse("760 EUR"),)  # 4 x 90 on Friday + 4 x 100 on Monday
    assert demand_costs(ws.view(), d(2, 8), d(3, 31))[0].costs == ()  # nothing in the window
