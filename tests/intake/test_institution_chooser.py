"""Choosing the reported institution on /report and on the hotline registration (docs/domain.md §8)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.models import Report
from portal.institutions.models import Institution, name_key
from tests.conftest import report_form


def _page(response: Any) -> str:
    return response.get_data(as_text=True)


def _filed(db: Session) -> Report | None:
    db.expire_all()
    return db.scalars(select(Report).order_by(Report.id.desc())).first()


def _hidden_institution(page: str) -> str | None:
    found = re.search(
        r'<input type="hidden" name="institution" id="institution-value" value="([^"]*)"', page
    )
    return found.group(1) if found else None


def test_a_search_keeps_everything_typed_and_lists_the_matches(
    client: FlaskClient, institutions: dict[str, Institution]
) -> None:
    data = report_form(institution_query="人民医院", action="find_institution")
    response = client.post("/report", data=data)
    page = _page(response)
    assert response.status_code == 200
    for typed in (
        "兴庆区某路 1 号",
        "该院组织参保人挂床住院",
        "12,500.50",
        "银川某某医院",
        data["submission_key"],
    ):
        assert typed in page
    assert 'value="H64010400001"' in page and 'value="H64010600003"' in page
    assert 'id="institution-none" value=""' in page  # "not in the list"


def test_a_search_on_an_unfinished_form_shows_no_validation_errors(
    client: FlaskClient, institutions: dict[str, Institution]
) -> None:
    response = client.post(
        "/report", data={"institution_query": "康宁", "action": "find_institution"}
    )
    assert response.status_code == 200
    assert "error-summary" not in _page(response) and "P64010600001" in _page(response)


def test_a_match_on_a_former_name_says_which(
    client: FlaskClient, institutions: dict[str, Institution]
) -> None:
    response = client.post(
        "/report", data=report_form(institution_query="银川市人民医院", action="find_institution")
    )
    assert "曾用名 银川市人民医院" in _page(response) and "银川市第一人民医院" in _page(response)


def test_a_search_that_finds_nothing_says_so_and_keeps_free_text(
    client: FlaskClient, institutions: dict[str, Institution]
) -> None:
    response = client.post(
        "/report", data=report_form(institution_query="不存在的诊所", action="find_institution")
    )
    assert "没有找到机构" in _page(response) and 'id="institution-none"' in _page(response)


def test_a_chooser_step_asks_for_the_files_again(
    client: FlaskClient, institutions: dict[str, Institution]
) -> None:
    response = client.post(
        "/report", data=report_form(institution_query="康宁", action="find_institution")
    )
    assert 'id="evidence-again"' in _page(response)


def test_choosing_fills_the_party_name_kind_and_region(
    client: FlaskClient, institutions: dict[str, Institution]
) -> None:
    data = report_form(
        party_name="",
        region="640104",
        institution="P64010600001",
        institution_query="康宁",
        action="choose_institution",
    )
    page = _page(client.post("/report", data=data))
    assert 'value="金凤区康宁大药房"' in page
    assert '<option value="640106" selected>' in page
    assert re.search(
        r'name="party_kind"[^>]*value="pharmacy"[^>]*checked|checked[^>]*name="party_kind"[^>]*value="pharmacy"',
        page,
    )
    assert _hidden_institution(page) == "P64010600001"
    assert (
        'id="institution-chosen"' in page
        and "P64010600001" in page.split('id="institution-chosen"')[1][:300]
    )


def test_not_in_the_list_keeps_the_name_as_typed(
    client: FlaskClient, institutions: dict[str, Institution]
) -> None:
    data = report_form(party_name="某某私人诊所", institution="", action="choose_institution")
    response = client.post("/report", data=data)
    assert response.status_code == 200
    assert 'value="某某私人诊所"' in _page(response) and _hidden_institution(_page(response)) == ""


def test_choosing_an_institution_that_does_not_exist_is_refused_with_a_message(
    client: FlaskClient, institutions: dict[str, Institution]
) -> None:
    data = report_form(
        institution="H64019999999", institution_query="人民", action="choose_institution"
    )
    response = client.post("/report", data=data)
    assert response.status_code == 422
    assert "所选机构不在名录中" in _page(response) and "H64019999999" not in _page(response)


def test_a_report_with_a_chosen_institution_is_linked_to_it(
    client: FlaskClient, db: Session, institutions: dict[str, Institution]
) -> None:
    data = report_form(
        party_name="金凤区人民医院（骨科）", region="640106", institution="H64010600003"
    )
    assert client.post("/report", data=data).status_code == 201
    report = _filed(db)
    assert report is not None and report.institution_id == institutions["jinfeng"].id
    assert report.party_name == "金凤区人民医院（骨科）"
    assert report.party_key == name_key("金凤区人民医院（骨科）")


def test_a_chosen_institution_brings_its_name_and_region_when_none_was_given(
    client: FlaskClient, db: Session, institutions: dict[str, Institution]
) -> None:
    data = report_form(party_name="", region="", institution="h64010600003")
    assert client.post("/report", data=data).status_code == 201
    report = _filed(db)
    assert report is not None
    assert (report.party_name, report.region.code) == ("金凤区人民医院", "640106")
    assert report.party_key == "金凤区人民医院"


def test_a_region_chosen_after_the_institution_is_kept(
    client: FlaskClient, db: Session, institutions: dict[str, Institution]
) -> None:
    # The institution is registered in 金凤区; the reporter says it happened in 兴庆区.
    data = report_form(party_name="金凤区人民医院", region="640104", institution="H64010600003")
    assert client.post("/report", data=data).status_code == 201
    report = _filed(db)
    assert report is not None and report.region.code == "640104"
    assert report.institution_id == institutions["jinfeng"].id


def test_a_free_text_party_still_files_without_an_institution(
    client: FlaskClient, db: Session, institutions: dict[str, Institution]
) -> None:
    assert client.post("/report", data=report_form(party_name="Ｘ市 某某 诊所")).status_code == 201
    report = _filed(db)
    assert report is not None and report.institution_id is None
    assert report.party_key == "x市某某诊所"


def test_an_institution_not_in_the_directory_is_refused_and_nothing_is_filed(
    client: FlaskClient, db: Session, institutions: dict[str, Institution]
) -> None:
    response = client.post("/report", data=report_form(institution="H64019999999"))
    assert response.status_code == 422
    assert "所选机构不在名录中" in _page(response) and "兴庆区某路 1 号" in _page(response)
    assert _filed(db) is None


def test_a_person_is_not_chosen_from_the_directory(
    client: FlaskClient, db: Session, institutions: dict[str, Institution]
) -> None:
    data = report_form(party_kind="insured_person", institution="H64010600003")
    response = client.post("/report", data=data)
    assert response.status_code == 422 and "个人不能从机构名录中选择" in _page(response)


def test_an_empty_name_without_an_institution_is_still_refused(
    client: FlaskClient, institutions: dict[str, Institution]
) -> None:
    response = client.post("/report", data=report_form(party_name="  ", region=""))
    assert response.status_code == 422
    assert "请填写被举报对象的名称或姓名" in _page(response) and "请选择发生地所在地区" in _page(
        response
    )


class TestLimits:
    @pytest.fixture
    def app_config(self) -> dict[str, Any]:
        return {"RATELIMIT_REPORT": "1 per hour", "RATELIMIT_INSTITUTION_SEARCH": "3 per hour"}

    def test_searching_does_not_use_up_the_reports_a_client_may_file(
        self, client: FlaskClient, institutions: dict[str, Institution]
    ) -> None:
        for _ in range(3):
            find = report_form(institution_query="人民", action="find_institution")
            assert client.post("/report", data=find).status_code == 200
        assert client.post("/report", data=report_form()).status_code == 201

    def test_searching_has_a_limit_of_its_own(
        self, client: FlaskClient, institutions: dict[str, Institution]
    ) -> None:
        find = {"institution_query": "人民", "action": "find_institution"}
        statuses = [client.post("/report", data=find).status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]


# --- the suggestions behind the JavaScript chooser -------------------------------------


def test_suggestions_answer_public_directory_facts_as_json(
    client: FlaskClient, institutions: dict[str, Institution]
) -> None:
    response = client.get("/institutions/suggest?q=第一人民")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.get_json() == {
        "query": "第一人民",
        "results": [
            {
                "code": "H64010400001",
                "name": "银川市第一人民医院",
                "former_name": None,
                "kind": "hospital",
                "party_kind": "hospital",
                "region": {"code": "640104", "label": "宁夏回族自治区 · 银川市 · 兴庆区"},
                "address": "兴庆区胜利街 2 号",
            }
        ],
    }


def test_suggestions_name_the_former_name_they_matched(
    client: FlaskClient, institutions: dict[str, Institution]
) -> None:
    [found] = client.get("/institutions/suggest?q=银川市人民医院").get_json()["results"]
    assert (found["code"], found["former_name"]) == ("H64010400001", "银川市人民医院")


def test_suggestions_are_limited_in_number(
    client: FlaskClient, institutions: dict[str, Institution]
) -> None:
    assert len(client.get("/institutions/suggest?q=医院&limit=2").get_json()["results"]) == 2
    assert len(client.get("/institutions/suggest?q=医&limit=500").get_json()["results"]) == 3


def test_suggestions_can_be_kept_within_a_region(
    client: FlaskClient, institutions: dict[str, Institution]
) -> None:
    found = client.get("/institutions/suggest?q=医院&region=110000").get_json()["results"]
    assert [r["code"] for r in found] == ["H11010500001"]
    assert client.get("/institutions/suggest?q=医院&region=999999").status_code == 400


def test_an_empty_text_suggests_nothing(
    client: FlaskClient, institutions: dict[str, Institution]
) -> None:
    assert client.get("/institutions/suggest?q=%20").get_json()["results"] == []


def test_suggestions_carry_nothing_of_any_report_and_set_no_cookie(
    client: FlaskClient, make_report: Any, institutions: dict[str, Institution]
) -> None:
    make_report(
        region_code="640106",
        party_name="金凤区人民医院 MARKER-7Q",
        party_details="MARKER-7Q 住院部",
        institution=institutions["jinfeng"],
    )
    response = client.get("/institutions/suggest?q=金凤区人民医院")
    assert "MARKER-7Q" not in response.get_data(as_text=True)
    assert set(response.get_json()["results"][0]) == {
        "code",
        "name",
        "former_name",
        "kind",
        "party_kind",
        "region",
        "address",
    }
    assert "Set-Cookie" not in response.headers


def test_browsers_keep_suggestions_briefly(
    client: FlaskClient, institutions: dict[str, Institution]
) -> None:
    assert (
        client.get("/institutions/suggest?q=医院").headers["Cache-Control"] == "public, max-age=60"
    )


# --- the hotline registration gets the same chooser ------------------------------------


def test_an_intake_officer_finds_an_institution_while_registering(
    make_staff: Any, login_as: Any, institutions: dict[str, Institution]
) -> None:
    officer = login_as(make_staff("intake_officer"))
    data = report_form(channel="hotline", institution_query="康宁", action="find_institution")
    response = officer.post("/staff/register", data=data)
    assert response.status_code == 200 and 'value="P64010600001"' in _page(response)
    assert "兴庆区某路 1 号" in _page(response)


def test_a_hotline_report_registered_with_an_institution_is_linked_to_it(
    make_staff: Any, login_as: Any, db: Session, institutions: dict[str, Institution]
) -> None:
    officer = login_as(make_staff("intake_officer"))
    data = report_form(channel="hotline", party_name="", region="", institution="P64010600001")
    assert officer.post("/staff/register", data=data).status_code == 201
    report = _filed(db)
    assert report is not None and report.source == "hotline"
    assert (report.institution_id, report.region.code) == (institutions["pharmacy"].id, "640106")
