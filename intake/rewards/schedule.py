"""The reward schedule and its arithmetic (docs/domain.md §4): brackets added up, then clamped."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy.orm import Session

from portal.settings import get_setting

FEN = Decimal("0.01")


@dataclass(frozen=True)
class Bracket:
    """A part of the case value up to `upper` yuan (None: no upper bound) paid at `rate`."""

    upper: Decimal | None
    rate: Decimal


@dataclass(frozen=True)
class RewardSchedule:
    """Progressive brackets added up (分段累计), then clamped to [floor, cap]."""

    brackets: tuple[Bracket, ...]
    floor: Decimal
    cap: Decimal
    insider_uplift_percent: Decimal
    fixed_min: Decimal
    fixed_max: Decimal

    def to_json(self) -> dict[str, Any]:
        """Return the schedule as JSON-ready data (amounts as strings, exact)."""
        return {
            "brackets": [
                [None if b.upper is None else str(b.upper), str(b.rate)] for b in self.brackets
            ],
            "floor": str(self.floor),
            "cap": str(self.cap),
            "insider_uplift_percent": str(self.insider_uplift_percent),
            "fixed_min": str(self.fixed_min),
            "fixed_max": str(self.fixed_max),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RewardSchedule:
        """Build a schedule from `to_json` data, refusing one that is not well formed."""
        brackets = tuple(
            Bracket(None if u is None else Decimal(u), Decimal(r)) for u, r in data["brackets"]
        )
        schedule = cls(
            brackets=brackets,
            floor=Decimal(data["floor"]),
            cap=Decimal(data["cap"]),
            insider_uplift_percent=Decimal(data["insider_uplift_percent"]),
            fixed_min=Decimal(data["fixed_min"]),
            fixed_max=Decimal(data["fixed_max"]),
        )
        schedule.check()
        return schedule

    def check(self) -> None:
        """Raise ValueError unless brackets ascend, end unbounded, and bounds are ordered."""
        uppers = [b.upper for b in self.brackets]
        if not uppers or uppers[-1] is not None or any(u is None for u in uppers[:-1]):
            raise ValueError("brackets must end with one unbounded bracket")
        bounded = [u for u in uppers if u is not None]
        if (
            bounded != sorted(bounded)
            or len(set(bounded)) != len(bounded)
            or any(u <= 0 for u in bounded)
        ):
            raise ValueError("bracket bounds must be positive and ascending")
        if any(b.rate < 0 or b.rate > 1 for b in self.brackets):
            raise ValueError("rates are fractions between 0 and 1")
        if not (0 <= self.floor <= self.cap) or not (0 <= self.fixed_min <= self.fixed_max):
            raise ValueError("floor/cap and fixed range must be ordered and non-negative")
        if self.insider_uplift_percent < 0:
            raise ValueError("insider uplift cannot be negative")


# National default: 2 % to 100,000; 1.5 % to 1,000,000; 1 % to 10,000,000; 0.5 % above;
# then at least 200 and at most 200,000 yuan; no insider uplift; 200–1,000 fixed (docs/domain.md §4).
DEFAULT_SCHEDULE = RewardSchedule(
    brackets=(
        Bracket(Decimal("100000"), Decimal("0.02")),
        Bracket(Decimal("1000000"), Decimal("0.015")),
        Bracket(Decimal("10000000"), Decimal("0.01")),
        Bracket(None, Decimal("0.005")),
    ),
    floor=Decimal("200"),
    cap=Decimal("200000"),
    insider_uplift_percent=Decimal("0"),
    fixed_min=Decimal("200"),
    fixed_max=Decimal("1000"),
)


def quote_reward(
    case_value: Decimal, schedule: RewardSchedule = DEFAULT_SCHEDULE, *, insider: bool = False
) -> Decimal:
    """Return the reward for a case value in yuan, to the fen (docs/domain.md §4)."""
    if case_value <= 0:
        raise ValueError("a reward needs a positive case value; use the fixed range otherwise")
    total = Decimal(0)
    lower = Decimal(0)
    for bracket in schedule.brackets:
        upper = case_value if bracket.upper is None else min(case_value, bracket.upper)
        if upper > lower:
            total += (upper - lower) * bracket.rate
        if bracket.upper is None or case_value <= bracket.upper:
            break
        lower = bracket.upper
    if insider:
        total += total * schedule.insider_uplift_percent / 100
    # The floor and cap bind after any uplift: 200,000 is the national maximum.
    total = max(schedule.floor, min(schedule.cap, total))
    return total.quantize(FEN, rounding=ROUND_HALF_UP)


REWARD_SCHEDULE_SETTING = "reward_schedule"


def get_reward_schedule(session: Session) -> RewardSchedule:
    """Return the administrator's schedule, or the national default when none is stored."""
    stored = get_setting(session, REWARD_SCHEDULE_SETTING)
    return DEFAULT_SCHEDULE if stored is None else RewardSchedule.from_json(stored)


def set_reward_schedule(session: Session, schedule: RewardSchedule, *, actor: str) -> None:
    """Store a new schedule (checked first) and audit the change with before and after."""
    from portal import audit
    from portal.settings import put_setting

    schedule.check()
    before = get_reward_schedule(session).to_json()
    put_setting(session, REWARD_SCHEDULE_SETTING, schedule.to_json())
    audit.record(
        session,
        "settings.reward_schedule",
        actor=actor,
        subject=f"setting:{REWARD_SCHEDULE_SETTING}",
        details={"before": before, "after": schedule.to_json()},
    )


def parse_brackets(text: str) -> tuple[Bracket, ...]:
    """Parse lines of "upper-bound percent" (a dash for no bound), e.g. "100000 2" / "- 0.5"."""
    brackets = []
    for number, line in enumerate(row for row in text.splitlines() if row.strip()):
        parts = line.replace(",", "").replace("%", "").split()
        if len(parts) != 2:
            raise ValueError(f"line {number + 1}: give an upper bound and a percentage")
        upper = None if parts[0] in {"-", "—", "∞"} else Decimal(parts[0])
        brackets.append(Bracket(upper, Decimal(parts[1]) / 100))
    return tuple(brackets)


def format_brackets(schedule: RewardSchedule) -> str:
    """Return the brackets in the text form `parse_brackets` reads."""
    return "\n".join(
        f"{'-' if b.upper is None else b.upper} {(b.rate * 100).normalize():f}"
        for b in schedule.brackets
    )
