"""Adding and correcting institutions by hand: the rules, the former names, the audit, the bounds."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.audit import AuditEntry
from portal.institutions.codes import InstitutionError
from portal.institutions.models import AgreementStatus, Institution
from portal.institutions.operations import add_institution, correct_institution
from portal.jurisdictions.models import get_region_by_code
from portal.timeutil import today_in_china
from tests.portal.institution_samples import fields, make_institution


def _audit(db: Session, action: str) -> list[dict[str, Any]]:
    entries = db.scalars(select(AuditEntry).where(AuditEntry.action == action))
    return [json.loads(e.details_json) for e in entries]


def _refusal(db: Session, admin: Any, **overrides: Any) -> str:
    with pytest.raises(InstitutionError) as refused:
        add_institution(db, fields(db, **overrides), actor=admin)
    return refused.value.code


@pytest.fixture
def admin(make_staff: Any) -> Any:
    """An administrator of 银川市 (640100)."""
    return make_staff("administrator", region_code="640100")


def test_an_administrator_adds_an_institution_of_their_subtree(db: Session, admin: Any) -> None:
    institution = add_institution(db, fields(db), actor=admin)
    assert (institution.code, institution.name_key) == ("H64010400012", "银川市第一人民医院")
    assert institution.agreement_status is AgreementStatus.IN_FORCE


def test_adding_is_audited_with_what_was_added(db: Session, admin: Any) -> None:
    add_institution(db, fields(db), actor=admin)
    (details,) = _audit(db, "institution.added")
    assert details["after"]["code"] == "H64010400012"
    assert details["after"]["region"] == "640104"


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"code": "H6401040001"}, "institution_code_shape"),
        ({"code": "H99999900012"}, "institution_code_region"),
        ({"code": "H64010600012"}, "institution_code_outside_region"),
        ({"name": "  "}, "institution_name"),
        ({"name": "院" * 201}, "institution_too_long"),
        ({"agreement_from": date(2026, 1, 1)}, "institution_agreement_no_dates"),
        (
            {"agreement_status": AgreementStatus.SUSPENDED, "agreement_from": date(2026, 1, 1)},
            "institution_agreement_to",
        ),
        (
            {
                "agreement_status": AgreementStatus.SUSPENDED,
                "agreement_from": date(2026, 6, 1),
                "agreement_to": date(2026, 1, 1),
            },
            "institution_agreement_order",
        ),
        ({"agreement_status": AgreementStatus.TERMINATED}, "institution_agreement_from"),
        (
            {
                "agreement_status": AgreementStatus.TERMINATED,
                "agreement_from": date(2026, 1, 1),
                "agreement_to": date(2026, 2, 1),
            },
            "institution_agreement_no_end",
        ),
    ],
)
def test_an_institution_that_breaks_a_rule_is_refused(
    db: Session, admin: Any, overrides: dict[str, Any], code: str
) -> None:
    assert _refusal(db, admin, **overrides) == code


def test_a_suspension_with_its_dates_in_order_is_accepted(db: Session, admin: Any) -> None:
    institution = add_institution(
        db,
        fields(
            db,
            agreement_status=AgreementStatus.SUSPENDED,
            agreement_from=date(2026, 1, 1),
            agreement_to=date(2026, 6, 30),
        ),
        actor=admin,
    )
    assert institution.status_on(date(2026, 3, 1)) is AgreementStatus.SUSPENDED


def test_a_code_already_in_the_directory_is_refused(db: Session, admin: Any) -> None:
    make_institution(db)
    assert _refusal(db, admin, name="另一家医院") == "institution_code_taken"


def test_an_institution_outside_the_administrators_subtree_is_refused(
    db: Session, admin: Any
) -> None:
    assert _refusal(db, admin, code="H11010100012", region="110101") == (
        "institution_outside_jurisdiction"
    )


def test_a_correction_changes_the_fields_and_is_audited_before_and_after(
    db: Session, admin: Any
) -> None:
    institution = make_institution(db)
    correct_institution(
        db,
        institution,
        fields(db, address="兴庆区解放西街 1 号"),
        actor=admin,
        expected_version=institution.version,
    )
    (details,) = _audit(db, "institution.corrected")
    assert details["before"] == {"address": ""}
    assert details["after"] == {"address": "兴庆区解放西街 1 号"}


def test_a_rename_keeps_the_former_name_until_today(db: Session, admin: Any) -> None:
    institution = make_institution(db)
    renamed = correct_institution(
        db,
        institution,
        fields(db, name="宁夏回族自治区人民医院"),
        actor=admin,
        expected_version=institution.version,
        note="更名批复",
    )
    (former,) = institution.former_names
    assert renamed and (former.name, former.until, former.note) == (
        "银川市第一人民医院",
        today_in_china(),
        "更名批复",
    )
    assert institution.name_key == "宁夏回族自治区人民医院"


def test_changing_only_the_width_of_brackets_is_not_a_rename(db: Session, admin: Any) -> None:
    institution = make_institution(db, name="银川市第一人民医院（东院）")
    renamed = correct_institution(
        db,
        institution,
        fields(db, name="银川市第一人民医院(东院)"),
        actor=admin,
        expected_version=institution.version,
    )
    assert not renamed and institution.former_names == []


def test_a_correction_that_changes_nothing_leaves_no_audit_entry(db: Session, admin: Any) -> None:
    institution = make_institution(db)
    correct_institution(db, institution, fields(db), actor=admin, expected_version=1)
    assert _audit(db, "institution.corrected") == []


def test_a_page_drawn_before_another_change_cannot_overwrite_it(db: Session, admin: Any) -> None:
    institution = make_institution(db)
    drawn = institution.version
    correct_institution(
        db, institution, fields(db, address="新地址"), actor=admin, expected_version=drawn
    )
    db.commit()
    with pytest.raises(InstitutionError, match="stale"):
        correct_institution(
            db, institution, fields(db, address="旧页面"), actor=admin, expected_version=drawn
        )


def test_an_administrator_cannot_correct_an_institution_of_a_sibling_county(
    db: Session, make_staff: Any
) -> None:
    institution = make_institution(db)
    jinfeng = make_staff("administrator", region_code="640106")
    with pytest.raises(InstitutionError, match="institution_outside_jurisdiction"):
        correct_institution(
            db,
            institution,
            fields(db, code="H64010600012", region="640106"),
            actor=jinfeng,
            expected_version=institution.version,
        )


def test_an_administrator_cannot_move_an_institution_out_of_their_subtree(
    db: Session, admin: Any
) -> None:
    institution = make_institution(db)
    with pytest.raises(InstitutionError, match="institution_outside_jurisdiction"):
        correct_institution(
            db,
            institution,
            fields(db, region="640000"),
            actor=admin,
            expected_version=institution.version,
        )


def test_a_code_cannot_be_corrected_to_another_institutions_code(db: Session, admin: Any) -> None:
    make_institution(db, code="H64010400099", name="另一家医院")
    institution = make_institution(db)
    with pytest.raises(InstitutionError, match="institution_code_taken"):
        correct_institution(
            db,
            institution,
            replace(fields(db), code="H64010400099"),
            actor=admin,
            expected_version=institution.version,
        )
    assert db.scalar(select(Institution).where(Institution.code == "H64010400012")) is not None


def test_the_operator_adds_anywhere(db: Session) -> None:
    institution = add_institution(
        db, fields(db, code="H11010100012", region=get_region_by_code(db, "110101")), actor=None
    )
    assert institution.region.code == "110101"
