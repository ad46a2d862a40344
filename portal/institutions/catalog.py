"""The closed lists of the directory (docs/domain.md §8): their labels, and the words a file may use.

Labels are shown in the page's language. The words are what a row of the official list
may say (the Chinese terms of the lists, or our English values); they are data, never
translated.
"""

from __future__ import annotations

import enum
from typing import TypeVar

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from portal.institutions.models import AgreementStatus, InstitutionKind, InstitutionLevel, Ownership

KIND_LABELS: dict[InstitutionKind, LazyString] = {
    InstitutionKind.HOSPITAL: _l("Hospital"),
    InstitutionKind.PRIMARY_CARE: _l("Primary care or clinic"),
    InstitutionKind.PHARMACY: _l("Retail pharmacy"),
    InstitutionKind.OTHER: _l("Other"),
}

LEVEL_LABELS: dict[InstitutionLevel, LazyString] = {
    InstitutionLevel.LEVEL_1: _l("Grade 1"),
    InstitutionLevel.LEVEL_2: _l("Grade 2"),
    InstitutionLevel.LEVEL_3: _l("Grade 3"),
    InstitutionLevel.UNGRADED: _l("Ungraded"),
}

OWNERSHIP_LABELS: dict[Ownership, LazyString] = {
    Ownership.PUBLIC: _l("Public"),
    Ownership.PRIVATE: _l("Private"),
}

STATUS_LABELS: dict[AgreementStatus, LazyString] = {
    AgreementStatus.IN_FORCE: _l("In force"),
    AgreementStatus.SUSPENDED: _l("Suspended"),
    AgreementStatus.TERMINATED: _l("Terminated"),
}


def _grades(prefix: str) -> tuple[str, ...]:
    return (prefix, *(prefix + sub for sub in ("甲等", "乙等", "丙等", "特等")))


# The words a file may use for each value (besides the English value itself).
KIND_WORDS: dict[InstitutionKind, tuple[str, ...]] = {
    InstitutionKind.HOSPITAL: ("医院", "定点医院"),
    InstitutionKind.PRIMARY_CARE: (
        "基层医疗机构",
        "基层医疗卫生机构",
        "诊所",
        "门诊部",
        "卫生院",
        "卫生室",
        "社区卫生服务中心",
        "社区卫生服务站",
    ),
    InstitutionKind.PHARMACY: ("零售药店", "定点零售药店", "药店"),
    InstitutionKind.OTHER: ("其他",),
}

LEVEL_WORDS: dict[InstitutionLevel, tuple[str, ...]] = {
    InstitutionLevel.LEVEL_1: _grades("一级"),
    InstitutionLevel.LEVEL_2: _grades("二级"),
    InstitutionLevel.LEVEL_3: _grades("三级"),
    InstitutionLevel.UNGRADED: ("未定级", "无等级"),
}

OWNERSHIP_WORDS: dict[Ownership, tuple[str, ...]] = {
    Ownership.PUBLIC: ("公立", "公办"),
    Ownership.PRIVATE: ("民营", "私立", "社会办"),
}

STATUS_WORDS: dict[AgreementStatus, tuple[str, ...]] = {
    AgreementStatus.IN_FORCE: ("正常", "有效", "协议有效"),
    AgreementStatus.SUSPENDED: ("暂停", "中止", "暂停协议"),
    AgreementStatus.TERMINATED: ("解除", "终止", "解除协议"),
}

E = TypeVar("E", bound=enum.Enum)


def value_of(text: str, words: dict[E, tuple[str, ...]]) -> E | None:
    """Return the value a cell names (its English value or one of its words), if any."""
    folded = text.strip().casefold()
    for value, spellings in words.items():
        if folded == str(value.value) or text.strip() in spellings:
            return value
    return None


def spellings(words: dict[E, tuple[str, ...]]) -> list[tuple[str, str]]:
    """Return (English value, its words joined) for the column dictionary."""
    return [(str(value.value), "、".join(spelled)) for value, spelled in words.items()]
