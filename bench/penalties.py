"""The bench's published penalty decisions (bench/seed.py): one for every 100 reports,
against institutions of the directory, under article 38 of the Regulation (a fine of one
to two times the loss), decided within the last year, so every one is on the public list
(its publicity period counts from the decision date, docs/domain.md §9).
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from bench.institutions import Listed, Place

REPORTS_PER_PENALTY = 100
PUBLIC_DAYS = 365  # PENALTY_PUBLIC_DAYS

PENALTY_COLUMNS = [
    "id", "status", "region_id", "subject_kind", "institution_id", "subject_name", "article",
    "measures", "basis_amount", "returned_amount", "fine_amount", "terminates_agreement",
    "serious_dishonesty", "deciding_office", "decision_number", "decided_on", "summary",
    "recorded_by_id", "recorded_at", "published_by_id", "published_at", "public_until",
    "repair_reason", "withdrawn_reason", "updated_at", "version",
]  # fmt: skip


def penalty_rows(
    rng: random.Random,
    count: int,
    first_id: int,
    places: tuple[Place, ...],
    by_region: dict[int, list[Listed]],
    staff_id: int,
    today: date,
) -> list[tuple[Any, ...]]:
    """Return rows of `count` published decisions from `first_id`, by `staff_id`."""
    with_institutions = [p for p in places if by_region.get(p.id)]
    rows = []
    for offset in range(count):
        place = rng.choice(with_institutions)
        institution = rng.choice(by_region[place.id])
        decided = today - timedelta(days=rng.randint(1, PUBLIC_DAYS - 10))
        at = datetime.combine(decided + timedelta(days=rng.randint(0, 5)), time(2), UTC)
        basis = Decimal(rng.randint(100_000, 50_000_000)) / 100
        fine = (basis * Decimal(rng.choice(("1", "1.5", "2")))).quantize(Decimal("0.01"))
        rows.append(
            (
                first_id + offset, "published", place.id, "institution", institution.id,
                institution.name, 38, "recover,fine", basis, basis, fine, False, False,
                f"{place.name_zh}医疗保障局", f"{place.code}医保罚〔{decided.year}〕{offset + 1}号",
                decided, "违规使用医保基金造成基金损失。（压测合成数据）", staff_id, at,
                staff_id, at, decided + timedelta(days=PUBLIC_DAYS - 1), "", "", at, 1,
            )
        )  # fmt: skip
    return rows
