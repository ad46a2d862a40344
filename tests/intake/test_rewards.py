from decimal import Decimal

import pytest

from intake.rewards.schedule import DEFAULT_SCHEDULE, Bracket, RewardSchedule, quote_reward


@pytest.mark.parametrize(
    ("case_value", "reward"),
    [
        ("1500000", "20500.00"),  # the worked example of docs/domain.md §4
        ("100000", "2000.00"),
        ("1000000", "15500.00"),
        ("10000000", "105500.00"),
        ("50000000", "200000.00"),  # capped
        ("5000", "200.00"),  # floor
        ("123456.78", "2351.85"),
    ],
)
def test_reward_follows_the_default_brackets(case_value, reward):
    assert quote_reward(Decimal(case_value)) == Decimal(reward)


def test_reward_is_a_decimal_to_the_fen():
    assert quote_reward(Decimal("123456.78")).as_tuple().exponent == -2


def test_insider_uplift_raises_the_reward():
    schedule = RewardSchedule(
        **{**DEFAULT_SCHEDULE.__dict__, "insider_uplift_percent": Decimal("20")}
    )
    assert quote_reward(Decimal("1500000"), schedule, insider=True) == Decimal("24600.00")


def test_insider_uplift_never_passes_the_cap():
    schedule = RewardSchedule(
        **{**DEFAULT_SCHEDULE.__dict__, "insider_uplift_percent": Decimal("50")}
    )
    assert quote_reward(Decimal("30000000"), schedule, insider=True) == Decimal("200000.00")


def test_default_schedule_has_no_insider_uplift():
    assert quote_reward(Decimal("1500000"), insider=True) == Decimal("20500.00")


@pytest.mark.parametrize("value", ["0", "-1"])
def test_case_value_must_be_positive(value):
    with pytest.raises(ValueError):
        quote_reward(Decimal(value))


def test_schedule_round_trips_through_json():
    assert RewardSchedule.from_json(DEFAULT_SCHEDULE.to_json()) == DEFAULT_SCHEDULE


def test_schedule_with_descending_brackets_is_refused():
    data = DEFAULT_SCHEDULE.to_json()
    data["brackets"] = [["1000", "0.02"], ["500", "0.01"], [None, "0.005"]]
    with pytest.raises(ValueError):
        RewardSchedule.from_json(data)


def test_schedule_without_an_unbounded_bracket_is_refused():
    with pytest.raises(ValueError):
        RewardSchedule(
            **{**DEFAULT_SCHEDULE.__dict__, "brackets": (Bracket(Decimal("100"), Decimal("0.02")),)}
        ).check()
