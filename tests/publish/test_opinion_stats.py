"""Supervisors' opinions in the public statistics, small counts hidden in every format (§14, §5)."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy.orm import Session

from intake.opinions.models import Opinion
from portal.db import utcnow
from portal.jurisdictions.models import get_region_by_code
from portal.timeutil import today_in_china
from publish.stats.compute import compute
from publish.stats.metrics import METRIC_NAMES

OPINION_METRICS = ("opinions_received", "opinions_answered", "opinions_on_time_rate")


@pytest.fixture
def opinions(db: Session, make_staff: Any) -> None:
    """Opinions written as stored: the statistics read only these rows.

    To 金凤区 (640106): six, five answered on time and one late. To 兴庆区 (640104): two,
    one answered late, one awaiting its reply.
    """
    supervisor = make_staff(
        "social_supervisor",
        region_code="640104",
        term_start=date(2020, 1, 1),
        term_end=date(2099, 1, 1),
    )
    now = utcnow()
    today = today_in_china()

    def add(office: str, answered: str | None) -> None:
        due = today if answered != "late" else today - timedelta(days=1)
        db.add(
            Opinion(
                author_id=supervisor.id,
                office_region=get_region_by_code(db, office),
                subject="主题",
                body="内容",
                received_at=now,
                reply_due_on=due,
                answered_at=now if answered else None,
            )
        )

    for n in range(6):
        add("640106", "on_time" if n < 5 else "late")
    add("640104", "late")
    add("640104", None)
    db.commit()


def _by_code(db: Session) -> dict[str, Any]:
    return {s.region.code: s for s in compute(db, today_in_china().year, None, 5).values()}


def test_the_list_publishes_opinions_and_their_replies() -> None:
    assert set(OPINION_METRICS) <= set(METRIC_NAMES)


def test_opinions_are_counted_for_the_office_they_went_to_and_rolled_up(
    db: Session, opinions: None
) -> None:
    stats = _by_code(db)
    assert stats["640106"].shown("opinions_received") == 6
    assert stats["640000"].shown("opinions_received") == 8
    assert stats["640000"].shown("opinions_answered") == 7


def test_the_share_on_time_rests_on_the_answered(db: Session, opinions: None) -> None:
    stats = _by_code(db)
    assert stats["640106"].shown("opinions_on_time_rate") == pytest.approx(83.3)
    assert stats["640000"].shown("opinions_on_time_rate") == pytest.approx(71.4)


def test_a_small_count_of_opinions_is_hidden_with_its_share(db: Session, opinions: None) -> None:
    stats = _by_code(db)
    assert stats["640104"].shown("opinions_received") is None
    assert stats["640104"].shown("opinions_answered") is None
    assert stats["640104"].shown("opinions_on_time_rate") is None


def test_hidden_opinions_are_marked_on_the_page(client: Any, opinions: None) -> None:
    page = client.get("/stats?region=640100").get_data(as_text=True)
    row = page.split('data-region="640104"')[1].split("</tr>")[0]
    cell = row.split('data-metric="opinions_received"')[1].split("</td>")[0]
    assert 'data-suppressed="true"' in cell


def test_hidden_opinions_are_marked_in_the_csv(client: Any, opinions: None) -> None:
    body = client.get("/stats.csv?region=640100").data.decode("utf-8-sig")
    rows = {r["region_code"]: r for r in csv.DictReader(io.StringIO(body))}
    assert rows["640104"]["opinions_answered"] == "suppressed"
    assert rows["640106"]["opinions_received"] == "6"


def test_hidden_opinions_are_null_in_the_json(client: Any, opinions: None) -> None:
    rows = {r["region_code"]: r for r in client.get("/stats.json?region=640100").get_json()["rows"]}
    assert rows["640104"]["opinions_on_time_rate"] is None
    assert "opinions_on_time_rate" in rows["640104"]["suppressed"]
    assert rows["640106"]["opinions_answered"] == 6
