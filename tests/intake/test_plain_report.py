"""The report form in plain words (intake/filing/situations.py, docs/domain.md §2 and §6)."""

import pytest
from sqlalchemy import select

from intake.catalog import PARTY_KIND_CODES, VIOLATION_CODES
from intake.filing.situations import (
    PLAIN_PARTY_KINDS,
    SITUATIONS,
    UNSURE,
    situation_label,
    violation_codes_for,
)
from intake.models import IdentityMode, Report
from tests.conftest import VALID_ID, report_form


def plain_form(**overrides):
    data = report_form(situation="paper_admission")
    del data["violation_types"]
    data.update(overrides)
    return data


@pytest.mark.parametrize("situation", [s for s in SITUATIONS if s.code != UNSURE])
def test_every_situation_maps_to_existing_legal_types(situation):
    assert situation.violation_codes
    assert set(situation.violation_codes) <= VIOLATION_CODES


def test_unsure_maps_to_no_legal_type_so_the_office_classifies_it():
    assert violation_codes_for(UNSURE, []) == []


def test_plain_party_kinds_are_the_catalogues_kinds():
    assert [code for code, _ in PLAIN_PARTY_KINDS] and {
        code for code, _ in PLAIN_PARTY_KINDS
    } == PARTY_KIND_CODES


def test_situations_read_in_plain_chinese(app):
    with app.test_request_context(headers={"Accept-Language": "zh-CN"}):
        assert str(situation_label("paper_admission")) == "没住院却记住院 / 挂床"
        assert str(situation_label(UNSURE)) == "不确定 / 其他"


def test_the_form_opens_with_plain_situations_and_folds_the_legal_types(client):
    html = client.get("/report").get_data(as_text=True)
    assert "多收费、乱收费" in html and "不确定 / 其他" in html
    assert "我知道具体违法类型" in html
    assert html.index('name="situation"') < html.index('name="violation_types"')


def test_a_plain_situation_files_its_mapped_legal_types(client, fresh):
    assert client.post("/report", data=plain_form()).status_code == 201
    report = fresh().scalars(select(Report)).one()
    assert report.violation_codes == ["nominal_bed"]
    assert report.situation == "paper_admission"


def test_unsure_files_a_report_naming_no_legal_type(client, fresh):
    assert client.post("/report", data=plain_form(situation=UNSURE)).status_code == 201
    report = fresh().scalars(select(Report)).one()
    assert report.violation_codes == [] and report.situation == UNSURE


def test_legal_types_chosen_are_used_instead_of_the_situation(client, fresh):
    data = plain_form(violation_types=["swapping"])
    assert client.post("/report", data=data).status_code == 201
    assert fresh().scalars(select(Report)).one().violation_codes == ["swapping"]


def test_an_unknown_situation_is_refused(client):
    resp = client.post("/report", data=plain_form(situation="made_up"))
    assert resp.status_code == 422
    assert 'id="situation-error"' in resp.get_data(as_text=True)


def test_staff_see_an_unsure_report_as_to_be_classified(make_report, login_as, make_staff):
    report, _ = make_report(violation_codes=[], situation=UNSURE)
    client = login_as(make_staff("intake_officer"))
    client.set_cookie("lang", "en")
    html = client.get(f"/staff/reports/{report.case_number}").get_data(as_text=True)
    assert "To be classified" in html and "Not sure, or something else" in html


def test_staff_see_the_situation_beside_the_types_it_gave(make_report, login_as, make_staff):
    report, _ = make_report(violation_codes=["nominal_bed"], situation="paper_admission")
    client = login_as(make_staff("intake_officer"))
    client.set_cookie("lang", "en")
    html = client.get(f"/staff/reports/{report.case_number}").get_data(as_text=True)
    assert "Nominal bed stays" in html and 'id="reporter-situation"' in html


def test_real_name_details_typed_while_anonymous_are_not_kept(client, fresh):
    data = plain_form(real_name="王晓明", id_number=VALID_ID, phone="13912345678")
    assert client.post("/report", data=data).status_code == 201
    assert fresh().scalars(select(Report)).one().identity_mode is IdentityMode.ANONYMOUS


def test_receipt_warns_that_a_name_typed_while_anonymous_was_not_recorded(client):
    data = plain_form(real_name="王晓明", id_number=VALID_ID, phone="13912345678")
    html = client.post("/report", data=data).get_data(as_text=True)
    assert 'id="identity-ignored"' in html and "您的姓名没有被记录" in html


def test_receipt_of_a_plain_anonymous_report_has_no_such_warning(client):
    html = client.post("/report", data=plain_form()).get_data(as_text=True)
    assert 'id="identity-ignored"' not in html


def test_receipt_says_where_and_how_to_use_it(client, app):
    html = client.post("/report", data=plain_form()).get_data(as_text=True)
    assert "http://localhost/track" in html
    assert app.config["HOTLINE_TEXT"] in html
    assert "医保基金监管" in html and "访问码无法找回" in html


def test_phone_with_spaces_and_hyphens_is_accepted(client, recovery_private_key):
    data = plain_form(
        identity_mode="real_name", real_name="王晓明", id_number=VALID_ID, phone="139-1234 5678"
    )
    assert client.post("/report", data=data).status_code == 201


def test_the_file_limits_reach_the_browser_from_the_configuration(client, app):
    html = client.get("/report").get_data(as_text=True)
    assert f'data-max-file-bytes="{app.config["EVIDENCE_MAX_FILE_BYTES"]}"' in html
    assert f'data-max-files="{app.config["EVIDENCE_MAX_FILES"]}"' in html
    assert "js/evidence-limits.js" in html
