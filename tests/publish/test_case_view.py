"""The public page reads a case as plain rows, the office's preview from the model: one record."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from portal.institutions.models import Institution, InstitutionKind, name_key
from portal.jurisdictions.models import get_region_by_code
from publish.cases.models import TypicalCase
from publish.cases.operations import (
    CaseFields,
    correct_case,
    draft_case,
    publish_case,
    withdraw_case,
)
from publish.cases.pages import case_view, public_case_view

TEXT = '第一段\n<p>经查，该院<strong>串换</strong>诊疗项目。</p><a href="https://example.org/x">条例</a>'


def _fields(db: Session, region: str, **overrides: Any) -> CaseFields:
    base: dict[str, Any] = {
        "title": "某医院串换诊疗项目案",
        "region": get_region_by_code(db, region),
        "subject_kind": "institution",
        "subject_name": "银川市兴庆区仁和医院",
        "discovery": "flying_inspection",
        "violation_codes": ["nominal_bed", "swapping"],
        "batch": "2026年第一批",
        "amount": Decimal("123456.78"),
        "fine_amount": Decimal("246913.56"),
        "legal_basis": "《医疗保障基金使用监督管理条例》第三十八条",
        "measures": "追回医保基金\n<em>暂停</em>结算",
        "body": TEXT,
        "source_url": "https://example.org/case",
    }
    base.update(overrides)
    return CaseFields(**base)


@pytest.fixture
def cases(db: Session, make_staff: Any) -> list[TypicalCase]:
    """Published cases at every level of the tree, linked, corrected twice, and withdrawn."""
    db.add(
        Institution(
            code="H64010400012",
            name="银川市兴庆区仁和医院",
            name_key=name_key("银川市兴庆区仁和医院"),
            kind=InstitutionKind.HOSPITAL,
            region=get_region_by_code(db, "640104"),
        )
    )
    drafter, publisher = make_staff("publisher"), make_staff("approver")
    made = []
    for region, extra in (
        ("640104", {"institution_code": "H64010400012"}),
        (
            "640100",
            {"batch": "", "measures": "", "legal_basis": "", "amount": None, "source_url": ""},
        ),
        ("640000", {}),
    ):
        case = draft_case(db, _fields(db, region, **extra), actor=drafter)
        publish_case(db, case, actor=publisher)
        made.append(case)
    for note in ("更正涉案金额", "更正处理措施"):
        correct_case(
            db,
            made[0],
            _fields(db, "640104", institution_code="H64010400012", body=TEXT + note),
            note=note,
            actor=publisher,
        )
    withdraw_case(db, made[2], reason="行政复议撤销原决定", actor=publisher)
    db.commit()
    return made


@pytest.mark.parametrize("language", ["zh_Hans_CN", "en"])
def test_the_public_page_and_the_preview_show_the_same_record(
    app: Flask, db: Session, cases: list[TypicalCase], language: str
) -> None:
    with app.test_request_context(headers={"Cookie": f"lang={language}"}):
        for case in cases:
            public = public_case_view(db, case.id)
            assert public is not None
            assert public == case_view(db.get(TypicalCase, case.id))
    assert len(public_case_view(db, cases[0].id).corrections) == 2  # type: ignore[union-attr]


def test_a_draft_has_no_public_record(app: Flask, db: Session, make_staff: Any) -> None:
    case = draft_case(db, _fields(db, "640104"), actor=make_staff("publisher"))
    db.commit()
    with app.test_request_context():
        assert public_case_view(db, case.id) is None
        assert public_case_view(db, case.id + 1000) is None
