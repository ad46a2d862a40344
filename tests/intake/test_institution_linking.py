"""Staff link a report's party to an institution of the directory, relink or unlink it (docs/domain.md §8)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.models import Report, Stage
from intake.office import workflow as wf
from intake.office.linking import link_institution
from intake.office.workflow import WorkflowError
from portal.accounts.roles import ROLES
from portal.audit import AuditEntry
from portal.institutions.models import Institution
from portal.security import data_cipher
from tests.conftest import report_form


def _page(response: Any) -> str:
    return response.get_data(as_text=True)


def _link(client: Any, report: Report, code: str, **extra: str) -> Any:
    data = {
        "link_institution-institution": code,
        "link_institution-version": str(report.version),
        **extra,
    }
    return client.post(f"/staff/reports/{report.case_number}/op/link_institution", data=data)


def _link_now(db: Session, report: Report, institution: Institution | None, actor: Any) -> None:
    link_institution(
        db, report, institution=institution, actor=actor, note="", cipher=data_cipher()
    )


def _audited(db: Session, action: str) -> list[AuditEntry]:
    return list(db.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def test_an_officer_links_a_free_text_party_to_an_institution(
    db: Session, make_report: Any, make_staff: Any, login_as: Any, institutions: dict[str, Any]
) -> None:
    report, _ = make_report(party_name="金凤人民医院")
    response = _link(login_as(make_staff("investigator")), report, "h64010600003")
    assert response.status_code == 303
    db.expire_all()
    assert report.institution_id == institutions["jinfeng"].id
    assert report.party_name == "金凤人民医院" and report.party_key == "金凤人民医院"
    event = report.events[-1]
    assert (event.kind, event.detail, event.is_public) == (
        "institution_linked",
        "H64010600003",
        False,
    )
    [entry] = _audited(db, "report.institution_linked")
    assert entry.subject == f"report:{report.case_number}"


def test_relinking_names_both_institutions_in_the_history(
    db: Session, make_report: Any, make_staff: Any, login_as: Any, institutions: dict[str, Any]
) -> None:
    report, _ = make_report(institution=institutions["first"])
    response = _link(
        login_as(make_staff("intake_officer")),
        report,
        "H64010600003",
        **{"link_institution-reason": "核实为金凤区"},
    )
    assert response.status_code == 303
    db.expire_all()
    assert report.institution_id == institutions["jinfeng"].id
    assert report.events[-1].detail == "H64010400001→H64010600003"
    assert len(_audited(db, "report.institution_relinked")) == 1
    page = _page(login_as(make_staff("intake_officer")).get(f"/staff/reports/{report.case_number}"))
    assert "核实为金凤区" in page and "H64010400001→H64010600003" in page


def test_an_empty_code_removes_the_link(
    db: Session, make_report: Any, make_staff: Any, login_as: Any, institutions: dict[str, Any]
) -> None:
    report, _ = make_report(institution=institutions["first"])
    assert _link(login_as(make_staff("approver")), report, "").status_code == 303
    db.expire_all()
    assert report.institution_id is None and report.events[-1].kind == "institution_unlinked"
    assert len(_audited(db, "report.institution_unlinked")) == 1


def test_a_hotline_report_is_linked_like_any_other(
    db: Session, make_staff: Any, login_as: Any, institutions: dict[str, Any]
) -> None:
    officer = login_as(make_staff("intake_officer"))
    officer.post("/staff/register", data=report_form(channel="hotline", party_name="康宁药房"))
    report = db.scalars(select(Report).where(Report.source == "hotline")).one()
    assert _link(officer, report, "P64010600001").status_code == 303
    db.expire_all()
    assert report.institution_id == institutions["pharmacy"].id


def test_a_stale_page_cannot_change_the_link(
    db: Session, make_report: Any, make_staff: Any, login_as: Any, institutions: dict[str, Any]
) -> None:
    report, _ = make_report()
    drawn = report.version
    officer = make_staff("intake_officer")
    _link_now(db, report, institutions["first"], officer)
    db.commit()
    response = _link(
        login_as(officer), report, "H64010600003", **{"link_institution-version": str(drawn)}
    )
    assert response.status_code == 409 and "其他人" in _page(response)
    db.expire_all()
    assert report.institution_id == institutions["first"].id


def test_an_unknown_code_is_refused_with_a_message(
    db: Session, make_report: Any, make_staff: Any, login_as: Any, institutions: dict[str, Any]
) -> None:
    report, _ = make_report()
    response = _link(login_as(make_staff("intake_officer")), report, "H64019999999")
    assert response.status_code == 409 and "机构名录中没有编码为 H64019999999 的机构" in _page(
        response
    )
    assert 'value="H64019999999"' in _page(response)  # what was typed stays
    db.expire_all()
    assert report.institution_id is None


def test_a_person_is_never_linked_to_the_directory(
    db: Session, make_report: Any, make_staff: Any, login_as: Any, institutions: dict[str, Any]
) -> None:
    report, _ = make_report(party_kind="insured_person", party_name="王某某")
    with pytest.raises(WorkflowError, match="party_is_a_person"):
        _link_now(db, report, institutions["first"], make_staff("intake_officer"))


def test_linking_to_the_institution_already_linked_is_refused(
    db: Session, make_report: Any, make_staff: Any, institutions: dict[str, Any]
) -> None:
    report, _ = make_report(institution=institutions["first"])
    with pytest.raises(WorkflowError, match="exists"):
        _link_now(db, report, institutions["first"], make_staff("intake_officer"))


def test_a_closed_report_can_still_be_linked(
    db: Session, make_report: Any, make_staff: Any, institutions: dict[str, Any]
) -> None:
    report, _ = make_report()
    report.stage = Stage.CLOSED
    db.commit()
    _link_now(db, report, institutions["first"], make_staff("investigator"))
    assert report.institution_id == institutions["first"].id


# Written from the rules (docs/domain.md §1: case staff handle a report's file), not read
# from TRANSITIONS, so a loosened table fails here.
LINKERS = {"intake_officer", "investigator", "approver"}


@pytest.mark.one_backend
@pytest.mark.parametrize("role", ROLES)
def test_only_case_staff_link_a_party(
    role: str, db: Session, make_report: Any, make_staff: Any, institutions: dict[str, Any]
) -> None:
    report, _ = make_report()
    assert ("link_institution" in wf.allowed_operations(report, make_staff(role))) == (
        role in LINKERS
    )


def test_another_jurisdiction_cannot_link_the_report(
    db: Session, make_report: Any, make_staff: Any, login_as: Any, institutions: dict[str, Any]
) -> None:
    report, _ = make_report(region_code="640104")
    officer = login_as(make_staff("intake_officer", region_code="110000"))
    assert _link(officer, report, "H64010400001").status_code == 404


def test_the_report_page_finds_institutions_to_link_without_javascript(
    make_report: Any, make_staff: Any, login_as: Any, institutions: dict[str, Any]
) -> None:
    report, _ = make_report()
    page = _page(
        login_as(make_staff("intake_officer")).get(
            f"/staff/reports/{report.case_number}?institution_q=人民医院"
        )
    )
    assert 'name="link_institution-institution" id="link-match-1"' in page
    assert 'value="H64010400001"' in page and 'value="H64010600003"' in page


def test_the_report_page_names_the_linked_institution(
    make_report: Any, make_staff: Any, login_as: Any, institutions: dict[str, Institution]
) -> None:
    report, _ = make_report(institution=institutions["pharmacy"])
    page = _page(login_as(make_staff("reward_officer")).get(f"/staff/reports/{report.case_number}"))
    linked = page.split('id="linked-institution">')[1].split("</dd>")[0]
    assert "金凤区康宁大药房" in linked and "P64010600001" in linked
