"""Annual reports (docs/domain.md §15): frozen figures, two people, versions, the command and the pages.

The PDF is drawn by a stand-in here (WeasyPrint is slow); tests/publish/test_annual_pdf.py
draws real ones, once for its module.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.audit import AuditEntry
from portal.jurisdictions.models import get_region_by_code
from portal.timeutil import today_in_china
from publish.annual.lifecycle import AnnualError
from publish.annual.models import AnnualReport, AnnualStatus
from publish.annual.operations import (
    prepare_annual_report,
    preview_token,
    publish_annual_report,
)
from publish.cases.operations import CaseFields, draft_case, publish_case
from publish.performance.pages import Selection as PerformanceSelection
from publish.performance.pages import list_office_rows
from publish.stats.pages import Selection, stats_records
from tests.penalty_factories import make_institution, published

YEAR = today_in_china().year
THRESHOLD = 5
FAKE_PDF = b"%PDF-1.7 stand-in"


def fake_render(report: AnnualReport) -> bytes:
    return FAKE_PDF


@pytest.fixture
def people(make_staff: Callable[..., Any]) -> dict[str, Any]:
    """Two publishers of Yinchuan, a province publisher and an approver of Yinchuan."""
    return {
        "preparer": make_staff("publisher", region_code="640100", username="preparer"),
        "publisher": make_staff("publisher", region_code="640100"),
        "province": make_staff("publisher", region_code="640000"),
        "approver": make_staff("approver", region_code="640100"),
    }


def _file(make_report: Callable[..., Any], count: int, region_code: str = "640104") -> None:
    for _ in range(count):
        make_report(region_code=region_code)


def _prepare(db: Session, actor: Any, note: str = "", code: str = "640100") -> AnnualReport:
    report = prepare_annual_report(
        db, get_region_by_code(db, code), YEAR, actor=actor, threshold=THRESHOLD, note=note
    )
    db.commit()
    return report


def _publish(db: Session, report: AnnualReport, actor: Any) -> None:
    publish_annual_report(db, report, actor=actor, render=fake_render)
    db.commit()


def test_preparing_freezes_the_figures(
    db: Session, people: dict[str, Any], make_report: Callable[..., Any]
) -> None:
    _file(make_report, 6)
    report = _prepare(db, people["preparer"])
    _file(make_report, 3)
    assert report.snapshot["figures"]["values"]["received"] == 6


def test_the_figures_are_suppressed_as_on_the_statistics_page(
    db: Session, people: dict[str, Any], make_report: Callable[..., Any]
) -> None:
    _file(make_report, 6, "640104")
    _file(make_report, 2, "640105")
    report = _prepare(db, people["preparer"])
    figures = report.snapshot["figures"]
    row = stats_records(db, Selection(YEAR, None, "640100"), THRESHOLD)[0]
    assert figures["suppressed"] == row["suppressed"]
    assert figures["values"]["received"] == row["received"] == 8


def test_the_table_of_offices_is_the_one_of_the_performance_page(
    db: Session, people: dict[str, Any], make_report: Callable[..., Any]
) -> None:
    _file(make_report, 6, "640104")
    _file(make_report, 2, "640105")
    report = _prepare(db, people["preparer"])
    published = list_office_rows(db, PerformanceSelection(YEAR, None, "640100"), THRESHOLD)
    frozen = report.snapshot["offices"]["rows"]
    assert [(r["code"], r["kind"]) for r in frozen] == [(r.code, r.kind) for r in published]
    for office, row in zip(frozen, published, strict=True):
        columns = report.snapshot["offices"]["columns"]
        assert office["values"] == {n: _plain(row.values[n]) for n in columns}
        assert office["suppressed"] == sorted(n for n in row.suppressed if n in columns)


def test_a_small_count_of_an_office_is_hidden_in_the_table(
    db: Session, people: dict[str, Any], make_report: Callable[..., Any]
) -> None:
    _file(make_report, 6, "640104")
    _file(make_report, 2, "640105")
    report = _prepare(db, people["preparer"])
    offices = {(r["code"], r["kind"]): r for r in report.snapshot["offices"]["rows"]}
    assert "received" in offices[("640105", "region")]["suppressed"]
    assert offices[("640105", "region")]["values"]["received"] is None
    assert offices[("640104", "region")]["values"]["received"] == 6


def test_the_table_of_offices_is_the_own_office_then_each_region_below_then_the_total(
    db: Session, people: dict[str, Any]
) -> None:
    report = _prepare(db, people["preparer"])
    region = get_region_by_code(db, "640100")
    rows = [(row["code"], row["kind"]) for row in report.snapshot["offices"]["rows"]]
    below = [(kid.code, "region") for kid in sorted(region.children, key=lambda r: r.code)]
    assert rows == [("640100", "own"), *below, ("640100", "total")]


def _plain(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value


def test_cases_and_penalties_published_in_the_year_in_the_region_are_listed(
    db: Session, people: dict[str, Any], make_staff: Callable[..., Any]
) -> None:
    region = get_region_by_code(db, "640104")
    case = draft_case(
        db,
        CaseFields(
            title="兴庆某医院挂床住院案",
            region=region,
            subject_kind="institution",
            subject_name="兴庆某医院",
            discovery="report_clue",
            violation_codes=["nominal_bed"],
            amount=Decimal("48600"),
            body="经查属实。",
        ),
        actor=people["preparer"],
    )
    publish_case(db, case, actor=people["publisher"])
    elsewhere = draft_case(
        db,
        CaseFields(
            title="北京某医院案",
            region=get_region_by_code(db, "110105"),
            subject_kind="institution",
            subject_name="北京某医院",
            discovery="report_clue",
            violation_codes=["nominal_bed"],
            body="经查属实。",
        ),
        actor=make_staff("publisher", region_code="110000"),
    )
    publish_case(db, elsewhere, actor=make_staff("publisher", region_code="110000"))
    make_institution(db)
    penalty = published(db, make_staff("approver", region_code="640100"), people["publisher"])
    report = _prepare(db, people["preparer"])
    assert [c["title"] for c in report.snapshot["cases"]] == ["兴庆某医院挂床住院案"]
    assert report.snapshot["cases"][0]["amount"] == "48600.00"
    assert [p["id"] for p in report.snapshot["penalties"]] == [penalty.id]


def test_preparing_again_replaces_the_unpublished_draft(
    db: Session, people: dict[str, Any], make_report: Callable[..., Any]
) -> None:
    first = _prepare(db, people["preparer"])
    _file(make_report, 5)
    again = _prepare(db, people["publisher"])
    assert again.id == first.id and again.version == 1
    assert again.prepared_by_id == people["publisher"].id
    assert again.snapshot["figures"]["values"]["received"] == 5
    assert db.scalar(select(func.count()).select_from(AnnualReport)) == 1


def test_whoever_prepared_it_cannot_publish_it(db: Session, people: dict[str, Any]) -> None:
    report = _prepare(db, people["preparer"])
    with pytest.raises(AnnualError, match="own_annual_report"):
        publish_annual_report(db, report, actor=people["preparer"], render=fake_render)


@pytest.mark.parametrize("who", ["publisher", "approver", "province"])
def test_another_publisher_or_an_approver_publishes_it_with_its_pdf(
    db: Session, people: dict[str, Any], who: str
) -> None:
    report = _prepare(db, people["preparer"])
    _publish(db, report, people[who])
    assert report.status is AnnualStatus.PUBLISHED
    assert report.published_by_id == people[who].id
    assert report.pdf == FAKE_PDF and len(report.pdf_sha256) == 64


def test_an_approver_cannot_prepare(db: Session, people: dict[str, Any]) -> None:
    with pytest.raises(AnnualError, match="role"):
        _prepare(db, people["approver"])


def test_a_region_outside_the_publishers_jurisdiction_is_refused(
    db: Session, people: dict[str, Any]
) -> None:
    with pytest.raises(AnnualError, match="annual_region"):
        _prepare(db, people["preparer"], code="640000")


@pytest.mark.parametrize("year", [YEAR + 1, 1999])
def test_a_year_not_begun_or_before_the_first_is_refused(
    db: Session, people: dict[str, Any], year: int
) -> None:
    with pytest.raises(AnnualError, match="annual_year"):
        prepare_annual_report(
            db,
            get_region_by_code(db, "640100"),
            year,
            actor=people["preparer"],
            threshold=THRESHOLD,
        )


def test_a_later_version_needs_a_note(db: Session, people: dict[str, Any]) -> None:
    _publish(db, _prepare(db, people["preparer"]), people["publisher"])
    with pytest.raises(AnnualError, match="annual_note"):
        _prepare(db, people["preparer"], note="  ")


def test_a_later_version_supersedes_the_published_one_with_its_note(
    db: Session, people: dict[str, Any]
) -> None:
    first = _prepare(db, people["preparer"])
    _publish(db, first, people["publisher"])
    second = _prepare(db, people["preparer"], note="更正了追回金额。")
    assert second.version == 2 and first.status is AnnualStatus.PUBLISHED
    _publish(db, second, people["publisher"])
    assert first.status is AnnualStatus.SUPERSEDED and first.superseded_at is not None
    assert second.status is AnnualStatus.PUBLISHED and second.change_note == "更正了追回金额。"


def test_a_draft_prepared_again_after_the_preview_is_refused(
    db: Session, people: dict[str, Any], make_report: Callable[..., Any]
) -> None:
    report = _prepare(db, people["preparer"])
    seen = preview_token(report)
    _file(make_report, 5)
    _prepare(db, people["preparer"])
    with pytest.raises(AnnualError, match="changed_since_preview"):
        publish_annual_report(
            db, report, actor=people["publisher"], render=fake_render, previewed=seen
        )


def test_preparing_and_publishing_are_audited(db: Session, people: dict[str, Any]) -> None:
    report = _prepare(db, people["preparer"])
    _publish(db, report, people["publisher"])
    entries = db.scalars(
        select(AuditEntry).where(AuditEntry.subject == f"annual_report:{report.id}")
    ).all()
    assert [(e.action, e.actor) for e in entries] == [
        ("annual_report.prepared", f"staff:{people['preparer'].id}"),
        ("annual_report.published", f"staff:{people['publisher'].id}"),
    ]
    assert json.loads(entries[1].details_json) == {"region": "640100", "year": YEAR, "version": 1}


# The command (docs/domain.md §15: `flask --app portal annual-report`).


def _cli(app: Flask, *args: str) -> Any:
    return app.test_cli_runner().invoke(args=["annual-report", *args])


def test_the_command_prepares_a_draft(app: Flask, db: Session, people: dict[str, Any]) -> None:
    result = _cli(app, "--region", "640100", "--year", str(YEAR), "--by", "preparer")
    assert result.exit_code == 0, result.output
    assert "version 1: prepared" in result.output
    db.expire_all()
    report = db.scalar(select(AnnualReport))
    assert report is not None and report.prepared_by_id == people["preparer"].id


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--region", "999999", "--year", str(YEAR), "--by", "preparer"), "no region has the code"),
        (("--region", "640100", "--year", str(YEAR), "--by", "nobody"), "no active staff account"),
        (("--region", "640100", "--year", "last", "--by", "preparer"), "is not a valid integer"),
        (("--region", "640100", "--year", str(YEAR + 1), "--by", "preparer"), "covers a year"),
        (("--region", "640000", "--year", str(YEAR), "--by", "preparer"), "region below it"),
    ],
)
def test_the_command_refuses_with_a_clear_error(
    app: Flask, people: dict[str, Any], args: tuple[str, ...], words: str
) -> None:
    result = _cli(app, *args)
    assert result.exit_code != 0
    assert words in result.output


def test_the_command_refuses_someone_who_is_not_a_publisher(
    app: Flask, make_staff: Callable[..., Any]
) -> None:
    make_staff("approver", username="boss")
    result = _cli(app, "--region", "640100", "--year", str(YEAR), "--by", "boss")
    assert result.exit_code != 0 and "boss is not a publisher" in result.output


def test_the_command_asks_for_a_note_once_a_version_is_published(
    app: Flask, db: Session, people: dict[str, Any]
) -> None:
    _publish(db, _prepare(db, people["preparer"]), people["publisher"])
    result = _cli(app, "--region", "640100", "--year", str(YEAR), "--by", "preparer")
    assert result.exit_code != 0 and "say what changed" in result.output
