"""`seed-demo` makes a first `make run` show the product: every public list has something in it."""

from __future__ import annotations

import json
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from flask import Flask
from sqlalchemy import func, select

from intake.models import Report, Stage
from portal.institutions.models import Institution
from publish.cases.models import CaseStatus, TypicalCase


@pytest.fixture
def seeded(app: Flask) -> Flask:
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    return app


def test_the_demo_feed_of_cases_has_items(seeded: Flask, client: Any) -> None:
    root = ET.fromstring(client.get("/feeds/cases.rss").data)  # noqa: S314 (our own output)
    assert len(list(root.iter("item"))) >= 10


def test_the_demo_directory_lists_institutions(seeded: Flask, client: Any) -> None:
    assert "兴庆仁和医院（演示）" in client.get("/institutions").get_data(as_text=True)


def test_the_demo_home_page_shows_latest_cases(seeded: Flask, client: Any) -> None:
    page = client.get("/").get_data(as_text=True)
    assert "尚未发布案例" not in page and "（演示）" in page


def test_the_demo_institution_page_shows_its_case_and_penalty(seeded: Flask, client: Any) -> None:
    page = client.get("/institutions/H64010400012").get_data(as_text=True)
    assert "银医保罚〔2024〕3号" in page and "挂床住院" in page


def test_the_demo_public_list_and_its_feed_have_entries(seeded: Flask, client: Any) -> None:
    root = ET.fromstring(client.get("/feeds/penalties.rss").data)  # noqa: S314 (our own output)
    page = client.get("/penalties").get_data(as_text=True)
    assert len(list(root.iter("item"))) >= 3 and "（演示）" in page


def test_the_demo_has_a_report_in_every_stage(seeded: Flask, fresh: Any) -> None:
    stages = set(fresh().scalars(select(Report.stage).distinct()))
    assert stages == set(Stage)


def test_the_demo_publishes_about_a_dozen_cases_over_several_years(
    seeded: Flask, fresh: Any
) -> None:
    session = fresh()
    years = set(
        session.scalars(
            select(func.extract("year", TypicalCase.published_on)).where(
                TypicalCase.status == CaseStatus.PUBLISHED
            )
        )
    )
    count = session.scalar(select(func.count()).where(TypicalCase.status == CaseStatus.PUBLISHED))
    assert (count >= 10, len(years) >= 3) == (True, True)


def test_the_demo_names_no_real_institution(seeded: Flask, fresh: Any) -> None:
    names = list(fresh().scalars(select(Institution.name)))
    assert names and all(name.endswith("（演示）") for name in names)


def test_the_demo_has_an_opinion_answered_on_time_and_one_overdue(
    seeded: Flask, fresh: Any
) -> None:
    from intake.opinions.models import Opinion
    from intake.opinions.queries import opinion_state
    from portal.timeutil import today_in_china

    opinions = fresh().scalars(select(Opinion))
    states = {opinion_state(o, today_in_china()) for o in opinions}
    assert {"on_time", "overdue"} <= states


def test_the_demo_has_an_inspection_to_come_with_a_sign_up_and_one_done_with_an_account(
    seeded: Flask, fresh: Any
) -> None:
    from intake.inspections.models import Inspection, InspectionSignup, InspectionStatus

    session = fresh()
    statuses = sorted(s.value for s in session.scalars(select(Inspection.status)))
    accounts = session.scalar(
        select(func.count()).where(InspectionSignup.account_filed_at.is_not(None))
    )
    assert (statuses, accounts) == (
        sorted([InspectionStatus.ANNOUNCED.value, InspectionStatus.DONE.value]),
        1,
    )


def test_the_demo_offices_compared_show_figures_not_only_hidden_cells(
    seeded: Flask, client: Any
) -> None:
    body = json.loads(client.get("/performance.json?region=640100").data)
    shown = [r for r in body["offices"] if r["received"] is not None and r["received"] > 0]
    assert len(shown) >= 3
