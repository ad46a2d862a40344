"""A case's text is sanitised once, when it is written, and made again on request."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import update
from sqlalchemy.orm import Session

from portal.db import get_engine
from portal.pagecache import read_generation
from portal.richtext import rich_text
from publish.cases.models import TypicalCase
from publish.cases.operations import draft_case, update_draft
from publish.cases.texts import CASE_TEXTS
from tests.publish.test_case_view import _fields

HOSTILE = '<script>alert(1)</script><p onclick="x">段落</p><a href="javascript:x">链接</a>'


def _stored(case: TypicalCase) -> tuple[str, ...]:
    return tuple(getattr(case, f"{name}_html") for name in CASE_TEXTS)


def _sanitised(case: TypicalCase) -> tuple[str, ...]:
    return tuple(str(rich_text(getattr(case, name))) for name in CASE_TEXTS)


def test_setting_a_text_keeps_its_sanitised_html_beside_it() -> None:
    case = TypicalCase(body=HOSTILE, measures="追回\n罚款")
    assert case.body_html == str(rich_text(HOSTILE)) and "<script>" not in case.body_html
    assert case.measures_html == "<p>追回</p><p>罚款</p>"
    case.body = ""
    assert case.body_html == ""


def test_drafting_and_editing_store_the_sanitised_html(db: Session, make_staff: Any) -> None:
    drafter = make_staff("publisher")
    case = draft_case(db, _fields(db, "640104", body=HOSTILE), actor=drafter)
    db.commit()
    db.expire_all()
    assert _stored(case) == _sanitised(case)
    update_draft(db, case, _fields(db, "640104", legal_basis="<em>新</em>依据"), actor=drafter)
    db.commit()
    db.expire_all()
    assert _stored(case) == _sanitised(case) and case.legal_basis_html == "<p><em>新</em>依据</p>"


def test_sanitize_cases_makes_stale_html_again_and_refreshes_cached_pages(
    app: Flask, db: Session, make_staff: Any
) -> None:
    case = draft_case(db, _fields(db, "640104", body=HOSTILE), actor=make_staff("publisher"))
    db.commit()
    # As if portal/richtext.py's rules had changed since the HTML was stored.
    db.execute(update(TypicalCase).values(body_html="old", measures_html="old"))
    db.commit()
    with get_engine(app).connect() as conn:
        before = read_generation(conn)
    result = app.test_cli_runner().invoke(args=["sanitize-cases"])
    assert result.exit_code == 0 and "changed: 1" in result.output
    db.expire_all()
    assert _stored(case) == _sanitised(case)
    with get_engine(app).connect() as conn:
        assert read_generation(conn) == before + 1
    again = app.test_cli_runner().invoke(args=["sanitize-cases"])
    assert "changed: 0" in again.output
