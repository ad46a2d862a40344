"""The public penalty list (处理结果公示, docs/domain.md §9): who publishes, for how long, what readers see."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.orm import Session

from intake.penalties.lifecycle import PenaltyError
from intake.penalties.models import SubjectKind
from intake.penalties.operations import withdraw_penalty
from portal.institutions.models import InstitutionKind
from portal.timeutil import today_in_china
from publish.penalties.operations import publish_penalty, repair_credit
from tests.penalty_factories import days_ago, make_institution, published, recorded


@pytest.fixture
def people(make_staff: Any) -> dict[str, Any]:
    return {"approver": make_staff("approver"), "publisher": make_staff("publisher")}


@pytest.fixture
def hospital(db: Session) -> Any:
    institution = make_institution(db)
    db.commit()
    return institution


def _publish(db: Session, people: dict[str, Any], **overrides: Any) -> Any:
    return published(db, people["approver"], people["publisher"], **overrides)


def _individual(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "subject_kind": SubjectKind.INDIVIDUAL,
        "article": 41,
        "institution_code": "",
        "subject_name": "王小明",
        "basis_amount": Decimal("8000"),
        "fine_amount": Decimal("16000"),
        "returned_amount": Decimal("8000"),
        "decision_number": "银医保罚〔2026〕41号",
    }
    values.update(overrides)
    return values


# --- publishing ------------------------------------------------------------------------------


def test_whoever_recorded_a_decision_cannot_publish_it(
    db: Session, people: dict[str, Any], hospital: Any
) -> None:
    penalty = recorded(db, people["approver"])
    with pytest.raises(PenaltyError, match="penalty_own_record"):
        publish_penalty(db, penalty, actor=people["approver"])


@pytest.mark.parametrize("role", ["publisher", "approver"])
def test_a_second_publisher_or_approver_publishes(
    db: Session, people: dict[str, Any], hospital: Any, make_staff: Any, role: str
) -> None:
    penalty = recorded(db, people["approver"])
    publish_penalty(db, penalty, actor=make_staff(role))
    assert penalty.listed_on(today_in_china())


@pytest.mark.parametrize("role", ["investigator", "intake_officer", "social_supervisor"])
def test_other_roles_cannot_publish(
    db: Session, people: dict[str, Any], hospital: Any, make_staff: Any, role: str
) -> None:
    penalty = recorded(db, people["approver"])
    with pytest.raises(PenaltyError, match="role"):
        publish_penalty(db, penalty, actor=make_staff(role))


def test_a_withdrawn_decision_cannot_be_published(
    db: Session, people: dict[str, Any], hospital: Any
) -> None:
    penalty = recorded(db, people["approver"])
    withdraw_penalty(db, penalty, reason="录错", actor=people["approver"])
    with pytest.raises(PenaltyError, match="penalty_status"):
        publish_penalty(db, penalty, actor=people["publisher"])


@pytest.mark.parametrize(
    ("overrides", "days"),
    [
        ({}, 365),
        ({"terminates_agreement": True}, 3 * 365),
        ({"serious_dishonesty": True}, 3 * 365),
    ],
    ids=["default", "terminated", "serious-dishonesty"],
)
def test_the_publicity_period_counts_from_the_decision_date(
    db: Session, people: dict[str, Any], hospital: Any, overrides: dict[str, Any], days: int
) -> None:
    penalty = _publish(db, people, **overrides)
    assert penalty.public_until == penalty.decided_on + timedelta(days=days - 1)


@pytest.mark.parametrize("app_config", [{"PENALTY_PUBLIC_DAYS": 30}])
def test_the_publicity_period_is_configurable(
    db: Session, people: dict[str, Any], hospital: Any
) -> None:
    penalty = _publish(db, people, decided_on=days_ago(5))
    assert penalty.public_until == days_ago(5) + timedelta(days=29)


def test_a_decision_whose_period_has_ended_is_not_published(
    db: Session, people: dict[str, Any], hospital: Any
) -> None:
    penalty = recorded(db, people["approver"], decided_on=days_ago(365))
    with pytest.raises(PenaltyError, match="penalty_period_over"):
        publish_penalty(db, penalty, actor=people["publisher"])


def test_publishing_through_the_page_by_the_recorder_is_refused_with_the_reason(
    db: Session, people: dict[str, Any], hospital: Any, login_as: Any
) -> None:
    penalty = recorded(db, people["approver"])
    client = login_as(people["approver"])
    response = client.post(f"/staff/penalties/{penalty.id}/publish", follow_redirects=True)
    assert "cannot publish" in response.text or "不能发布" in response.text
    assert 'data-state="recorded"' in response.text


def test_a_second_person_publishes_through_the_page(
    db: Session, people: dict[str, Any], hospital: Any, login_as: Any, client: Any
) -> None:
    penalty = recorded(db, people["approver"])
    page = login_as(people["publisher"]).get(f"/staff/penalties/{penalty.id}").text
    assert f"/staff/penalties/{penalty.id}/publish" in page
    recorder_page = login_as(people["approver"]).get(f"/staff/penalties/{penalty.id}").text
    assert f"/staff/penalties/{penalty.id}/publish" not in recorder_page
    response = login_as(people["publisher"]).post(f"/staff/penalties/{penalty.id}/publish")
    assert response.headers["Location"] == f"/penalties/{penalty.id}"
    assert "银川某某医院" in client.get(f"/penalties/{penalty.id}").text


# --- leaving the list ------------------------------------------------------------------------


def test_a_credit_repair_takes_the_entry_off_the_list_but_staff_keep_it(
    db: Session, people: dict[str, Any], hospital: Any, client: Any, login_as: Any
) -> None:
    penalty = _publish(db, people)
    repair_credit(db, penalty, reason="已完成整改并申请信用修复", actor=people["publisher"])
    db.commit()
    assert "银川某某医院" not in client.get("/penalties").text
    gone = client.get(f"/penalties/{penalty.id}")
    assert gone.status_code == 410 and "银川某某医院" not in gone.text
    staff = login_as(people["approver"]).get(f"/staff/penalties/{penalty.id}").text
    assert "已完成整改并申请信用修复" in staff and 'data-state="repaired"' in staff


def test_a_credit_repair_needs_a_reason(
    db: Session, people: dict[str, Any], hospital: Any, login_as: Any
) -> None:
    penalty = _publish(db, people)
    with pytest.raises(PenaltyError, match="reason"):
        repair_credit(db, penalty, reason=" ", actor=people["publisher"])
    response = login_as(people["publisher"]).post(f"/staff/penalties/{penalty.id}/repair")
    assert response.status_code == 422 and 'id="repair-form" open' in response.text


def test_an_entry_off_the_list_cannot_be_repaired_again(
    db: Session, people: dict[str, Any], hospital: Any
) -> None:
    penalty = _publish(db, people)
    repair_credit(db, penalty, reason="信用修复", actor=people["publisher"])
    with pytest.raises(PenaltyError, match="penalty_not_listed"):
        repair_credit(db, penalty, reason="再次", actor=people["approver"])


def test_an_entry_leaves_the_list_when_its_period_ends(
    db: Session, people: dict[str, Any], hospital: Any, client: Any
) -> None:
    penalty = _publish(db, people)
    assert client.get(f"/penalties/{penalty.id}").status_code == 200
    penalty.public_until = days_ago(1)  # as if the last day had passed
    db.commit()
    assert client.get(f"/penalties/{penalty.id}").status_code == 410
    assert f"/penalties/{penalty.id}" not in client.get("/penalties").text


def test_recorded_and_withdrawn_decisions_are_never_public(
    db: Session, people: dict[str, Any], hospital: Any, client: Any
) -> None:
    waiting = recorded(db, people["approver"])
    gone = recorded(db, people["approver"], decision_number="银医保罚〔2026〕2号")
    withdraw_penalty(db, gone, reason="录错", actor=people["approver"])
    db.commit()
    for penalty in (waiting, gone):
        assert client.get(f"/penalties/{penalty.id}").status_code == 404
    assert (
        "0" in client.get("/penalties").text and "银川某某医院" not in client.get("/penalties").text
    )


def test_a_publication_shows_on_the_cached_list_at_once(
    db: Session, people: dict[str, Any], hospital: Any, client: Any
) -> None:
    assert "银川某某医院" not in client.get("/penalties").text  # now cached
    _publish(db, people)
    assert "银川某某医院" in client.get("/penalties").text


# --- what readers see ------------------------------------------------------------------------


def test_an_entry_shows_the_article_measures_amounts_dates_and_office(
    db: Session, people: dict[str, Any], hospital: Any, client: Any
) -> None:
    penalty = _publish(
        db,
        people,
        suspension_from=today_in_china(),
        suspension_to=today_in_china() + timedelta(days=200),
    )
    page = client.get(f"/penalties/{penalty.id}").text
    for shown in (
        "第40条",
        "追回",
        "600,000.00",
        "300,000.00",
        "银川市医疗保障局",
        "银医保罚〔2026〕1号",
        *(f"{d.year}年{d.month}月{d.day}日" for d in (penalty.decided_on, penalty.suspension_to)),
    ):
        assert shown in page, shown


def test_an_individual_is_masked_on_every_public_answer(
    db: Session, people: dict[str, Any], client: Any
) -> None:
    penalty = _publish(db, people, **_individual())
    for path in (
        "/penalties",
        f"/penalties/{penalty.id}",
        "/penalties.csv",
        "/penalties.json",
        "/feeds/penalties.rss",
        "/feeds/penalties.atom",
        "/api/v1/penalties",
        f"/api/v1/penalties/{penalty.id}",
    ):
        body = client.get(path).get_data(as_text=True)
        assert "王某某" in body and "王小明" not in body, path


def test_the_institution_links_to_its_page_in_the_directory(
    db: Session, people: dict[str, Any], hospital: Any, client: Any
) -> None:
    penalty = _publish(db, people)
    assert 'href="/institutions/H64010400012"' in client.get(f"/penalties/{penalty.id}").text


def test_the_api_gives_the_address_of_the_institutions_page(
    db: Session, people: dict[str, Any], hospital: Any, client: Any
) -> None:
    penalty = _publish(db, people)
    url = client.get(f"/api/v1/penalties/{penalty.id}").get_json()["institution_url"]
    assert url == "http://localhost/institutions/H64010400012"


@pytest.fixture
def several(db: Session, people: dict[str, Any], hospital: Any, make_staff: Any) -> dict[str, Any]:
    """A hospital in 兴庆区 (art. 40), a pharmacy in 北京 (art. 39, last year), an unlisted
    clinic (art. 38) and an individual (art. 41)."""
    pharmacy = make_institution(
        db,
        code="P11010500001",
        name="北京某某大药房",
        kind=InstitutionKind.PHARMACY,
        region_code="110105",
    )
    last_year = today_in_china().replace(month=1, day=1) - timedelta(days=1)
    made = {
        "hospital": _publish(db, people),
        "pharmacy": _publish(
            db,
            {
                "approver": make_staff("approver", region_code="110000"),
                "publisher": make_staff("publisher", region_code="110000"),
            },
            region_code="110105",
            institution_code=pharmacy.code,
            article=39,
            basis_amount=None,
            fine_amount=Decimal("20000"),
            measures=["correction", "fine"],
            decision_number="京医保罚〔2025〕3号",
            deciding_office="北京市朝阳区医疗保障局",
            decided_on=max(last_year, days_ago(300)),
        ),
        "clinic": _publish(
            db,
            people,
            article=38,
            institution_code="",
            subject_name="某某诊所",
            basis_amount=Decimal("5000"),
            fine_amount=Decimal("5000"),
            measures=["recover"],
            decision_number="银医保罚〔2026〕38号",
        ),
        "person": _publish(db, people, **_individual()),
    }
    return made


def _listed(client: Any, query: str) -> set[int]:
    items = client.get(f"/penalties.json?{query}").get_json()["items"]
    return {item["id"] for item in items}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"hospital", "pharmacy", "clinic", "person"}),
        ("region=640000", {"hospital", "clinic", "person"}),
        ("region=110000", {"pharmacy"}),
        ("article=39", {"pharmacy"}),
        ("measure=recover", {"hospital", "clinic", "person"}),
        ("measure=correction", {"pharmacy"}),
        ("kind=hospital", {"hospital"}),
        ("kind=pharmacy", {"pharmacy"}),
        ("kind=other", {"clinic"}),
        ("kind=individual", {"person"}),
    ],
)
def test_the_list_filters_by_region_article_measure_and_kind(
    client: Any, several: dict[str, Any], query: str, expected: set[str]
) -> None:
    assert _listed(client, query) == {several[name].id for name in expected}


def test_the_list_filters_by_year_of_the_decision(client: Any, several: dict[str, Any]) -> None:
    for name, penalty in several.items():
        assert penalty.id in _listed(client, f"year={penalty.decided_on.year}"), name
    assert _listed(client, "year=2001") == set()


def test_the_page_filters_as_the_download_does(client: Any, several: dict[str, Any]) -> None:
    page = client.get("/penalties?kind=pharmacy").text
    assert "北京某某大药房" in page and "银川某某医院" not in page
    assert "/penalties.csv?kind=pharmacy" in page


def test_an_unknown_filter_value_answers_400(client: Any) -> None:
    assert client.get("/penalties?article=99").status_code == 400
    assert client.get("/penalties.json?kind=robot").status_code == 400
    assert client.get("/penalties.csv?measure=nope").status_code == 400


def test_the_list_pages_twenty_at_a_time(
    db: Session, people: dict[str, Any], hospital: Any, client: Any
) -> None:
    for n in range(21):
        _publish(db, people, decision_number=f"银医保罚〔2026〕{100 + n}号")
    first, second = client.get("/penalties").text, client.get("/penalties?page=2").text
    assert first.count('<li id="penalty-') == 20 and second.count('<li id="penalty-') == 1
    assert "银医保罚〔2026〕100号" in second  # the oldest publication comes last


def test_the_csv_is_utf8_with_a_bom_and_one_row_per_entry(
    client: Any, several: dict[str, Any]
) -> None:
    body = client.get("/penalties.csv?region=640000").data
    assert body.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert {int(r["id"]) for r in rows} == {several[n].id for n in ("hospital", "clinic", "person")}
    hospital = next(r for r in rows if int(r["id"]) == several["hospital"].id)
    assert (hospital["article"], hospital["fine_amount"], hospital["measures"]) == (
        "40",
        "600000.00",
        "recover;fine",
    )
