"""Opening a sealed identity: request, a custodian's approval, the asker's read (docs/domain.md §7)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.identity.access import (
    approve_access,
    read_identity,
    refuse_access,
    request_access,
    reseal_for_new_custodians,
    seals_of,
)
from intake.identity.sealing import open_with_custodian_password
from intake.office.workflow import WorkflowError
from intake.tracking.queries import reporter_view
from portal.audit import AuditEntry
from portal.security import data_cipher
from tests.conftest import STAFF_PASSWORD


@pytest.fixture
def sealed(
    make_report: Any, make_staff: Any, identity: Any, recovery_private_key: bytes
) -> dict[str, Any]:
    custodian = make_staff("approver", region_code="640000", custodian=True)
    officer = make_staff("investigator")
    report, _ = make_report(identity=identity)
    return {"custodian": custodian, "officer": officer, "report": report}


def _request(db: Session, sealed: dict[str, Any]) -> Any:
    seal = seals_of(db, sealed["report"])[0]
    return request_access(
        db,
        sealed["report"],
        seal,
        actor=sealed["officer"],
        reason="需要核实举报人身份",
        cipher=data_cipher(),
    )


def test_an_approved_request_lets_the_asker_read_with_their_password(
    db: Session, sealed: dict[str, Any], identity: Any
) -> None:
    req = _request(db, sealed)
    approve_access(db, req, custodian=sealed["custodian"], password=STAFF_PASSWORD)
    assert read_identity(db, req, actor=sealed["officer"], password=STAFF_PASSWORD) == identity


def test_the_asker_cannot_read_with_a_wrong_password(db: Session, sealed: dict[str, Any]) -> None:
    req = _request(db, sealed)
    approve_access(db, req, custodian=sealed["custodian"], password=STAFF_PASSWORD)
    with pytest.raises(WorkflowError, match="password"):
        read_identity(db, req, actor=sealed["officer"], password="not my password at all")


def test_a_pending_request_opens_nothing(db: Session, sealed: dict[str, Any]) -> None:
    req = _request(db, sealed)
    with pytest.raises(WorkflowError):
        read_identity(db, req, actor=sealed["officer"], password=STAFF_PASSWORD)


def test_a_custodian_cannot_approve_their_own_request(db: Session, sealed: dict[str, Any]) -> None:
    seal = seals_of(db, sealed["report"])[0]
    req = request_access(
        db, sealed["report"], seal, actor=sealed["custodian"], reason="自查", cipher=data_cipher()
    )
    with pytest.raises(WorkflowError, match="same_person"):
        approve_access(db, req, custodian=sealed["custodian"], password=STAFF_PASSWORD)


def test_a_non_custodian_cannot_approve(
    db: Session, sealed: dict[str, Any], make_staff: Any
) -> None:
    req = _request(db, sealed)
    with pytest.raises(WorkflowError, match="role"):
        approve_access(db, req, custodian=make_staff("approver"), password=STAFF_PASSWORD)


def test_an_administrator_alone_opens_no_identity(
    db: Session, sealed: dict[str, Any], make_staff: Any
) -> None:
    admin = make_staff("administrator", region_code="640000")
    seal = seals_of(db, sealed["report"])[0]
    with pytest.raises(WorkflowError, match="role"):
        request_access(db, sealed["report"], seal, actor=admin, reason="看看", cipher=data_cipher())


def test_a_refused_request_cannot_be_read(db: Session, sealed: dict[str, Any]) -> None:
    req = _request(db, sealed)
    refuse_access(db, req, custodian=sealed["custodian"])
    with pytest.raises(WorkflowError):
        read_identity(db, req, actor=sealed["officer"], password=STAFF_PASSWORD)


def test_request_decision_and_read_are_audited(db: Session, sealed: dict[str, Any]) -> None:
    req = _request(db, sealed)
    approve_access(db, req, custodian=sealed["custodian"], password=STAFF_PASSWORD)
    read_identity(db, req, actor=sealed["officer"], password=STAFF_PASSWORD)
    actions = list(
        db.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.action.like("identity.%"))
            .order_by(AuditEntry.sequence)
        )
    )
    assert actions == ["identity.requested", "identity.approved", "identity.read"]


def test_the_reporter_sees_that_the_office_opened_their_identity(
    db: Session, sealed: dict[str, Any]
) -> None:
    req = _request(db, sealed)
    approve_access(db, req, custodian=sealed["custodian"], password=STAFF_PASSWORD)
    read_identity(db, req, actor=sealed["officer"], password=STAFF_PASSWORD)
    timeline = reporter_view(db, sealed["report"], data_cipher()).timeline
    opened = [e for e in timeline if e.kind == "identity_opened"]
    assert len(opened) == 1 and opened[0].detail == "640100"


def test_the_track_page_names_the_office_not_the_person(
    app: Any, db: Session, sealed: dict[str, Any], make_report: Any, identity: Any
) -> None:
    report, receipt = make_report(identity=identity)
    sealed["report"] = report
    req = _request(db, sealed)
    approve_access(db, req, custodian=sealed["custodian"], password=STAFF_PASSWORD)
    read_identity(db, req, actor=sealed["officer"], password=STAFF_PASSWORD)
    db.commit()
    client = app.test_client()
    client.post(
        "/track", data={"case_number": receipt.case_number, "access_code": receipt.access_code}
    )
    page = client.get("/track").get_data(as_text=True)
    assert "银川市" in page and sealed["officer"].display_name not in page


def test_the_recovery_key_reseals_for_a_custodian_appointed_later(
    db: Session, sealed: dict[str, Any], make_staff: Any, recovery_private_key: bytes, identity: Any
) -> None:
    late = make_staff("approver", region_code="640100", custodian=True)
    seal = seals_of(db, sealed["report"])[0]
    key = late.active_custodian_key()
    assert reseal_for_new_custodians(db, recovery_private_key) == 1
    db.refresh(seal)
    assert open_with_custodian_password(db, seal, key, STAFF_PASSWORD) == identity
    assert reseal_for_new_custodians(db, recovery_private_key) == 0
