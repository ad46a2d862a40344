"""The bench's directory of institutions and the parties of its reports (bench/seed.py).

A few thousand made-up hospitals, clinics and pharmacies in the cities and counties of the
demo tree, codes of the right shape, some renamed (a former name each). Reports about a
hospital or pharmacy are mostly linked to one of their region or its city, named as the
directory names it or typed a little differently (spaces, full-width brackets); the rest
name their party as free text. Every report's `party_key` is `name_key(party_name)`, as
the filing operation writes it.
"""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from portal.institutions.models import name_key

# Reports name the same few thousand parties again and again: fold each name once.
folded = functools.lru_cache(maxsize=None)(name_key)
PER_REGION = 125
LINKED_SHARE = 0.7
RENAMED_SHARE = 0.1
BRANDS = [
    "仁爱",
    "博爱",
    "康泰",
    "华康",
    "济民",
    "同仁",
    "协和",
    "安康",
    "惠民",
    "益康",
    "德仁",
    "瑞康",
    "福寿",
    "长安",
    "永安",
    "天和",
    "正大",
    "恒生",
    "民生",
    "利民",
]
HOSPITALS = ("医院", "中医医院", "妇幼保健院", "口腔医院", "骨科医院", "康复医院", "眼科医院")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"

INSTITUTION_COLUMNS = [
    "id",
    "code",
    "name",
    "name_key",
    "kind",
    "region_id",
    "address",
    "agreement_status",
    "created_at",
    "updated_at",
    "version",
]
NAME_COLUMNS = ["id", "institution_id", "name", "name_key", "until", "note"]


@dataclass(frozen=True)
class Place:
    """A region as the seed's rows need it (plain, so it crosses to the loading processes)."""

    id: int
    code: str
    name_zh: str
    parent_id: int | None
    county: bool
    province: bool


@dataclass(frozen=True)
class Listed:
    """An institution as the report rows need it."""

    id: int
    name: str
    pharmacy: bool


# The directory's institutions a report of a region may name, by (region id, pharmacy):
# those of the region and of its city, looked up once instead of per report.
Candidates = dict[tuple[int, bool], list[Listed]]


def institution_rows(
    rng: random.Random,
    regions: list[Place],
    first_id: int,
    first_name_id: int,
    per_region: int = PER_REGION,
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], dict[int, list[Listed]]]:
    """Return rows of institutions and former names, and the institutions by region id.

    `per_region` institutions in each city and county (the bench's sizes scale it).
    """
    rows: list[tuple[Any, ...]] = []
    names: list[tuple[Any, ...]] = []
    by_region: dict[int, list[Listed]] = {}
    now = datetime(2026, 1, 1, tzinfo=UTC)
    for region in regions:
        if region.province:
            continue
        serial = {"H": 0, "P": 0}
        for n in range(per_region):
            brand = BRANDS[n % len(BRANDS)]
            roll = rng.random()
            if roll < 0.35:
                letter, kind, name = "P", "pharmacy", f"{region.name_zh}{brand}大药房第{n + 1}分店"
            elif roll < 0.55:
                surname = rng.choice(SURNAMES)
                letter, kind = "H", "primary_care"
                name = f"{region.name_zh}{brand}{surname}氏诊所{n + 1}"
            else:
                letter, kind = "H", "hospital"
                name = f"{region.name_zh}{brand}{HOSPITALS[n % len(HOSPITALS)]}{n + 1}部"
            serial[letter] += 1
            iid = first_id + len(rows)
            rows.append(
                (
                    iid,
                    f"{letter}{region.code}{serial[letter]:05d}",
                    name,
                    name_key(name),
                    kind,
                    region.id,
                    f"{region.name_zh}某某路{rng.randint(1, 300)}号",
                    "in_force",
                    now,
                    now,
                    1,
                )
            )
            if rng.random() < RENAMED_SHARE:
                old = name.replace(brand, rng.choice(BRANDS), 1) + "（原）"
                names.append(
                    (first_name_id + len(names), iid, old, name_key(old), date(2024, 1, 1), "")
                )
            by_region.setdefault(region.id, []).append(Listed(iid, name, letter == "P"))
    return rows, names, by_region


def candidates_of(regions: list[Place], by_region: dict[int, list[Listed]]) -> Candidates:
    """Return, per region and kind, the institutions its reports may be about."""
    out: Candidates = {}
    for region in regions:
        nearby = by_region.get(region.id, []) + (
            by_region.get(region.parent_id, []) if region.parent_id else []
        )
        for pharmacy in (False, True):
            out[(region.id, pharmacy)] = [i for i in nearby if i.pharmacy == pharmacy]
    return out


def party_of(
    rng: random.Random, kind: str, region: Place, candidates: Candidates
) -> tuple[str, str, int | None]:
    """Return the party name, its key and the institution id (or None) of one report."""
    if kind in ("hospital", "pharmacy") and rng.random() < LINKED_SHARE:
        fitting = candidates.get((region.id, kind == "pharmacy"))
        if fitting:
            chosen = rng.choice(fitting)
            # As the directory names it, or as a reporter typed it.
            name = chosen.name if rng.random() < 0.6 else f"{chosen.name[:2]} {chosen.name[2:]}（）"
            return name, folded(name), chosen.id
    surname = rng.choice(SURNAMES)
    name = {
        "hospital": f"{surname}某某医院",
        "pharmacy": f"{surname}某某大药房",
        "other": f"{region.name_zh}某某健康咨询有限公司",
    }.get(kind, f"{surname}某某")
    return name, folded(name), None
