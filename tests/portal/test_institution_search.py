"""Finding institutions by part of a name, a former name or the code (portal/institutions/search.py)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.institutions.models import Institution, InstitutionKind
from portal.institutions.search import (
    get_institution,
    institutions_matching,
    search_institutions,
)
from portal.jurisdictions.models import get_region_by_code
from tests.institution_samples import add_institution


def _codes(session: Session, text: str, **kwargs: Any) -> list[str]:
    return [m.code for m in search_institutions(session, text, **kwargs)]


@pytest.fixture
def directory(db: Session) -> Session:
    add_institution(db, "H64010400001", "银川市第一人民医院", former=("银川市人民医院",))
    add_institution(db, "H64010400002", "兴庆区人民医院")
    add_institution(
        db, "P64010600001", "金凤区康宁大药房", region_code="640106", kind=InstitutionKind.PHARMACY
    )
    add_institution(db, "H64010400012", "宁夏协和医院", former=("兴庆区协和诊所",))
    add_institution(db, "H11010500001", "北京朝阳ＡＢＣ医院", region_code="110105")
    db.commit()
    return db


def test_a_whole_code_finds_its_institution_first(directory: Session) -> None:
    assert _codes(directory, "H64010400001")[0] == "H64010400001"


def test_a_code_prefix_finds_every_institution_it_starts(directory: Session) -> None:
    assert set(_codes(directory, "h640104")) == {"H64010400001", "H64010400002", "H64010400012"}


def test_an_exact_code_comes_before_codes_it_merely_starts(directory: Session) -> None:
    # "H6401040001" is the start of H64010400012 and H64010400010…; the whole code wins.
    add_institution(directory, "H64010400010", "某某医院")
    assert _codes(directory, "H64010400010")[0] == "H64010400010"
    assert _codes(directory, "H6401040001")[:2] == ["H64010400010", "H64010400012"]


def test_part_of_a_name_finds_the_institution(directory: Session) -> None:
    assert _codes(directory, "康宁") == ["P64010600001"]


def test_names_that_start_with_the_text_come_before_names_that_contain_it(
    directory: Session,
) -> None:
    add_institution(directory, "H64010400020", "人民医院兴庆分院")
    found = _codes(directory, "人民医院")
    assert found[0] == "H64010400020"
    assert set(found[1:]) == {"H64010400001", "H64010400002"}


def test_a_former_name_finds_the_renamed_institution_and_says_which(directory: Session) -> None:
    [match] = search_institutions(directory, "协和诊所")
    assert (match.code, match.name, match.former_name) == (
        "H64010400012",
        "宁夏协和医院",
        "兴庆区协和诊所",
    )


def test_current_names_come_before_former_names(directory: Session) -> None:
    # "协和" is in 宁夏协和医院's current name and in another's former name only.
    add_institution(directory, "H64010400030", "兴庆区中医院", former=("协和中医诊所",))
    found = search_institutions(directory, "协和")
    assert [(m.code, bool(m.former_name)) for m in found] == [
        ("H64010400012", False),
        ("H64010400030", True),
    ]


def test_an_institution_found_by_its_name_is_not_listed_again_for_a_former_name(
    directory: Session,
) -> None:
    # 银川市第一人民医院 was 银川市人民医院: both contain "银川市".
    assert _codes(directory, "银川市") == ["H64010400001"]


def test_full_width_letters_digits_and_spaces_match_their_half_width_forms(
    directory: Session,
) -> None:
    assert _codes(directory, "ａｂｃ 医院") == ["H11010500001"]
    assert _codes(directory, "ｐ６４０１０６") == ["P64010600001"]


def test_punctuation_and_case_are_ignored(directory: Session) -> None:
    assert _codes(directory, "「康宁」大药房！") == ["P64010600001"]
    assert _codes(directory, "abc") == ["H11010500001"]


def test_a_text_that_folds_to_nothing_finds_nothing(directory: Session) -> None:
    assert _codes(directory, " ·，%_ ") == []  # LIKE's wildcards fold away too
    assert institutions_matching("（）") is None


def test_the_search_can_be_kept_within_a_region(directory: Session) -> None:
    city = get_region_by_code(directory, "640100")
    assert set(_codes(directory, "医院", region=city)) == {
        "H64010400001",
        "H64010400002",
        "H64010400012",
    }


def test_the_search_returns_at_most_the_limit(directory: Session) -> None:
    assert len(_codes(directory, "医院", limit=2)) == 2


def test_a_match_carries_the_region_and_address(directory: Session) -> None:
    institution = directory.scalar(select(Institution).where(Institution.code == "P64010600001"))
    assert institution is not None
    institution.address = "金凤区某路 8 号"
    [match] = search_institutions(directory, "康宁")
    assert match.region_code == "640106" and match.address == "金凤区某路 8 号"
    assert match.region_label("zh").endswith("金凤区") and match.party_kind == "pharmacy"


def test_the_queue_subquery_finds_by_code_name_and_former_name(directory: Session) -> None:
    def ids(text: str) -> set[str]:
        query = institutions_matching(text)
        assert query is not None
        codes = select(Institution.code).where(Institution.id.in_(query))
        return set(directory.scalars(codes))

    assert ids("P6401060") == {"P64010600001"}
    assert ids("第一人民") == {"H64010400001"}
    assert ids("协和诊所") == {"H64010400012"}


def test_an_institution_is_found_by_its_code_typed_in_lower_case(directory: Session) -> None:
    found = get_institution(directory, " h64010400002 ")
    assert found is not None and found.name == "兴庆区人民医院"
    assert get_institution(directory, "H00000000000") is None
    assert get_institution(directory, "") is None
