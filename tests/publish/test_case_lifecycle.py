"""The steps of a typical case: one table, walked here, that the operations and the page both obey."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy.orm import Session

from portal.jurisdictions.models import get_region_by_code
from publish.cases.lifecycle import CASE_STEPS, CaseError, allowed_steps, check_step
from publish.cases.models import CaseStatus, TypicalCase
from publish.cases.operations import (
    CaseFields,
    correct_case,
    draft_case,
    publish_case,
    update_draft,
    withdraw_case,
)

STATUSES: list[CaseStatus | None] = [None, *CaseStatus]
ROLES = ["publisher", "approver", "investigator", "social_supervisor"]


@dataclass
class Person:
    """Just enough of a staff user for the table: an id and roles."""

    id: int
    roles: frozenset[str]

    def has_role(self, *names: str) -> bool:
        return bool(self.roles.intersection(names))


DRAFTER_ID = 1


def _case(status: CaseStatus | None) -> TypicalCase | None:
    if status is None:
        return None
    return TypicalCase(status=status, drafted_by_id=DRAFTER_ID, body="经查，该院串换诊疗项目。")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("status", STATUSES, ids=lambda s: "new" if s is None else s.value)
@pytest.mark.parametrize("step", list(CASE_STEPS))
def test_a_step_is_allowed_exactly_from_its_sources_to_its_roles(
    step: str, status: CaseStatus | None, role: str
) -> None:
    expected = status in CASE_STEPS[step].sources and role in CASE_STEPS[step].roles
    someone_else = Person(DRAFTER_ID + 1, frozenset({role}))
    if expected:
        assert check_step(step, _case(status), someone_else) is CASE_STEPS[step]
    else:
        with pytest.raises(
            CaseError, match="role" if role not in CASE_STEPS[step].roles else "case_status"
        ):
            check_step(step, _case(status), someone_else)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("status", list(CaseStatus), ids=lambda s: s.value)
def test_the_page_offers_the_steps_the_table_allows(status: CaseStatus, role: str) -> None:
    case = _case(status)
    assert case is not None
    offered = allowed_steps(case, Person(DRAFTER_ID + 1, frozenset({role})))
    assert offered == [
        name for name, step in CASE_STEPS.items() if status in step.sources and role in step.roles
    ]


def test_the_drafter_is_never_offered_publishing_their_own_draft() -> None:
    drafter = Person(DRAFTER_ID, frozenset({"publisher", "approver"}))
    draft = _case(CaseStatus.DRAFT)
    assert draft is not None and "publish" not in allowed_steps(draft, drafter)


def _fields(db: Session) -> CaseFields:
    return CaseFields(
        title="某医院串换项目案",
        region=get_region_by_code(db, "640104"),
        subject_kind="institution",
        subject_name="某医院",
        discovery="big_data",
        violation_codes=["swapping"],
        body="经查，该院串换诊疗项目。",
    )


def _at(db: Session, status: CaseStatus, drafter: Any, other: Any) -> TypicalCase:
    case = draft_case(db, _fields(db), actor=drafter)
    if status is not CaseStatus.DRAFT:
        publish_case(db, case, actor=other)
    if status is CaseStatus.WITHDRAWN:
        withdraw_case(db, case, reason="撤销", actor=other)
    return case


OPERATIONS = {
    "edit": lambda db, case, actor: update_draft(db, case, _fields(db), actor=actor),
    "publish": lambda db, case, actor: publish_case(db, case, actor=actor),
    "correct": lambda db, case, actor: correct_case(
        db, case, _fields(db), note="更正", actor=actor
    ),
    "withdraw": lambda db, case, actor: withdraw_case(db, case, reason="撤回", actor=actor),
}


@pytest.mark.parametrize("status", list(CaseStatus), ids=lambda s: s.value)
@pytest.mark.parametrize("step", list(OPERATIONS))
def test_each_operation_starts_where_the_table_says_and_leads_where_it_says(
    step: str, status: CaseStatus, db: Session, make_staff: Any
) -> None:
    drafter, other = make_staff("publisher"), make_staff("publisher")
    case = _at(db, status, drafter, other)
    if status in CASE_STEPS[step].sources:
        OPERATIONS[step](db, case, other)
        assert case.status is CASE_STEPS[step].target
    else:
        with pytest.raises(CaseError, match="case_status"):
            OPERATIONS[step](db, case, other)
        assert case.status is status


# Who looks at a case in each status, and the controls their page must show:
# (publish button, draft or correction form, withdraw form).
PAGES = [
    (CaseStatus.DRAFT, "drafter", (False, True, False)),
    (CaseStatus.DRAFT, "publisher", (True, True, False)),
    (CaseStatus.DRAFT, "approver", (True, False, False)),
    (CaseStatus.PUBLISHED, "drafter", (False, True, True)),
    (CaseStatus.PUBLISHED, "approver", (False, True, True)),
    (CaseStatus.WITHDRAWN, "publisher", (False, False, False)),
]


@pytest.mark.parametrize(("status", "who", "controls"), PAGES)
def test_the_case_page_draws_the_controls_of_the_allowed_steps(
    status: CaseStatus,
    who: str,
    controls: tuple[bool, bool, bool],
    db: Session,
    make_staff: Any,
    login_as: Any,
) -> None:
    drafter, other = make_staff("publisher"), make_staff("publisher")
    case = _at(db, status, drafter, other)
    db.commit()
    viewer = {"drafter": drafter, "publisher": other, "approver": make_staff("approver")}[who]
    page = login_as(viewer).get(f"/staff/publish/cases/{case.id}").get_data(as_text=True)
    base = f'action="/staff/publish/cases/{case.id}'
    # Publishing starts from a link to its preview (the confirmation is on that page).
    preview = f'href="/staff/publish/cases/{case.id}/publish"'
    assert (preview in page, f'{base}"' in page, f'{base}/withdraw"' in page) == controls


def test_an_approver_reviews_a_draft_in_its_preview(
    db: Session, make_staff: Any, login_as: Any
) -> None:
    case = draft_case(db, _fields(db), actor=make_staff("publisher"))
    case.body = "<p>经查，该院<strong>串换</strong>诊疗项目。</p>"
    db.commit()
    page = login_as(make_staff("approver")).get(f"/staff/publish/cases/{case.id}")
    preview = page.get_data(as_text=True).split('id="case-preview"')[1]
    assert "<strong>串换</strong>" in preview
