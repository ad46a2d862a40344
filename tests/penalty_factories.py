"""Helpers of the penalty tests: institutions made with the models, decisions recorded and published."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from intake.penalties.models import Penalty, SubjectKind
from intake.penalties.operations import PenaltyFields, record_penalty
from portal.institutions.models import Institution, InstitutionKind, name_key
from portal.jurisdictions.models import get_region_by_code
from portal.timeutil import today_in_china
from publish.penalties.operations import publish_penalty


def make_institution(
    session: Session,
    code: str = "H64010400012",
    name: str = "银川某某医院",
    kind: InstitutionKind = InstitutionKind.HOSPITAL,
    region_code: str = "640104",
) -> Institution:
    """Add an institution to the directory (directly: the directory's admin is another feature)."""
    institution = Institution(
        code=code,
        name=name,
        name_key=name_key(name),
        kind=kind,
        region=get_region_by_code(session, region_code),
    )
    session.add(institution)
    session.flush()
    return institution


def days_ago(days: int) -> date:
    """Return the day `days` before today in China."""
    return today_in_china() - timedelta(days=days)


def fields(session: Session, **overrides: Any) -> PenaltyFields:
    """Return a valid art. 40 decision against the default institution; overrides replace fields."""
    values: dict[str, Any] = {
        "region": get_region_by_code(session, overrides.pop("region_code", "640104")),
        "subject_kind": SubjectKind.INSTITUTION,
        "article": 40,
        "deciding_office": "银川市医疗保障局",
        "decision_number": "银医保罚〔2026〕1号",
        "decided_on": days_ago(10),
        "returned_amount": Decimal("300000"),
        "institution_code": "H64010400012",
        "measures": ["recover", "fine"],
        "basis_amount": Decimal("300000"),
        "fine_amount": Decimal("600000"),
    }
    values.update(overrides)
    return PenaltyFields(**values)


def recorded(session: Session, approver: Any, **overrides: Any) -> Penalty:
    """Record a decision through the real operation and commit."""
    penalty = record_penalty(session, fields(session, **overrides), actor=approver)
    session.commit()
    return penalty


def published(session: Session, approver: Any, publisher: Any, **overrides: Any) -> Penalty:
    """Record a decision and have a second person publish it; commit."""
    penalty = record_penalty(session, fields(session, **overrides), actor=approver)
    publish_penalty(session, penalty, actor=publisher)
    session.commit()
    return penalty
