import io
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from intake.models import Evidence, IdentityMode, Report, Stage
from tests.conftest import VALID_ID, jpeg_with_gps, png_bytes, report_form


def count_reports(app):
    with app.extensions["db_sessionmaker"]() as session:
        return session.scalar(select(func.count()).select_from(Report))


@pytest.fixture
def only_report(fresh):
    return lambda: fresh().scalars(select(Report)).one()


def real_name(**overrides):
    data = report_form(
        identity_mode="real_name", real_name="王晓明", id_number=VALID_ID, phone="139 1234 5678"
    )
    data.update(overrides)
    return data


def test_report_form_page_offers_the_partner_field_names(client):
    html = client.get("/report").get_data(as_text=True)
    for name in [
        "party_kind",
        "party_name",
        "region",
        "violation_types",
        "facts",
        "amount",
        "identity_mode",
        "real_name",
        "id_number",
        "phone",
        "wants_reward",
        "evidence",
    ]:
        assert f'name="{name}"' in html, name


def test_report_form_explains_anonymous_real_name_and_reward(client):
    client.set_cookie("lang", "en")
    html = client.get("/report").get_data(as_text=True)
    assert "Anonymous" in html and "Real name" in html and "verifiable real identity" in html


def test_anonymous_report_shows_the_receipt_once(client):
    resp = client.post("/report", data=report_form())
    html = resp.get_data(as_text=True)
    assert resp.status_code == 201
    assert 'id="case-number"' in html and 'id="access-code"' in html


def test_receipt_page_is_not_stored_or_indexed(client):
    resp = client.post("/report", data=report_form())
    assert resp.headers["Cache-Control"] == "no-store"
    assert "noindex" in resp.headers["X-Robots-Tag"]


def test_receipt_carries_a_qr_code_without_a_web_address(client):
    html = client.post("/report", data=report_form()).get_data(as_text=True)
    assert "<svg" in html and "qrline" in html


def test_anonymous_report_is_stored_with_what_the_reporter_chose(only_report, app, client):
    client.post("/report", data=report_form())
    report = only_report()
    assert report.stage is Stage.RECEIVED
    assert report.identity_mode is IdentityMode.ANONYMOUS
    assert report.violation_codes == ["fake_visits", "nominal_bed"]
    assert report.amount == Decimal("12500.50")
    assert report.region.code == "640104"


def test_receipt_access_code_is_stored_only_as_argon2id_hash(only_report, app, client):
    html = client.post("/report", data=report_form()).get_data(as_text=True)
    code = html.split('id="access-code">')[1].split("<")[0]
    stored = only_report().access_code_hash
    assert stored.startswith("$argon2id$") and code.replace("-", "") not in stored


def test_missing_required_fields_are_each_reported(client):
    resp = client.post("/report", data={"identity_mode": "anonymous"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    for field_id in (
        "party_kind",
        "party_name",
        "region",
        "situation",
        "facts",
        "declaration",
    ):
        assert f'id="{field_id}-error"' in html or f"{field_id}-error" in html, field_id


def test_invalid_form_keeps_everything_typed(client):
    data = real_name(id_number="110105194912310021", declaration="")
    html = client.post("/report", data=data).get_data(as_text=True)
    assert "银川某某医院" in html and "兴庆区某路 1 号" in html
    assert "该院组织参保人挂床住院" in html and "本人曾在该院就诊" in html
    assert 'value="12,500.50"' in html
    assert 'value="139 1234 5678"' in html and 'value="王晓明"' in html
    assert 'value="nominal_bed" id="vt-nominal_bed" checked' in html
    assert 'value="640104" selected' in html


def test_invalid_form_says_files_must_be_chosen_again(client):
    client.set_cookie("lang", "en")
    html = client.post("/report", data=report_form(facts="")).get_data(as_text=True)
    assert "choose your files again" in html


def test_invalid_resident_id_number_is_refused_next_to_the_field(app, client):
    client.set_cookie("lang", "en")
    html = client.post("/report", data=real_name(id_number="110105194912310021")).get_data(
        as_text=True
    )
    assert 'id="id_number-error"' in html and "not a valid resident ID number" in html
    assert count_reports(app) == 0


def test_real_name_report_needs_name_id_number_and_phone(client):
    html = client.post("/report", data=report_form(identity_mode="real_name")).get_data(
        as_text=True
    )
    assert all(f'id="{f}-error"' in html for f in ("real_name", "id_number", "phone"))


def test_alias_is_refused_for_real_name_report(client):
    client.set_cookie("lang", "en")
    html = client.post("/report", data=real_name(real_name="王某某")).get_data(as_text=True)
    assert "alias is not accepted" in html


def test_invalid_phone_is_refused(client):
    html = client.post("/report", data=real_name(phone="12345")).get_data(as_text=True)
    assert 'id="phone-error"' in html


def test_anonymous_report_ignores_identity_fields_left_half_filled(only_report, app, client):
    resp = client.post("/report", data=report_form(id_number="123"))
    assert resp.status_code == 201
    assert only_report().identity_mode is IdentityMode.ANONYMOUS


def test_real_name_report_is_sealed(only_report, app, client, recovery_private_key):
    resp = client.post("/report", data=real_name())
    assert resp.status_code == 201
    assert only_report().identity_mode is IdentityMode.REAL_NAME


def test_real_name_report_without_recovery_key_is_refused_keeping_the_text(app, client):
    resp = client.post("/report", data=real_name())
    assert resp.status_code == 503
    assert "该院组织参保人挂床住院" in resp.get_data(as_text=True)
    assert count_reports(app) == 0


def test_unknown_region_is_refused(client):
    html = client.post("/report", data=report_form(region="999999")).get_data(as_text=True)
    assert 'id="region-error"' in html


def test_unknown_violation_type_is_refused(client):
    resp = client.post("/report", data=report_form(violation_types=["not_a_type"]))
    assert resp.status_code == 422


def test_conduct_end_before_start_is_refused(client):
    html = client.post(
        "/report", data=report_form(conduct_from="2026-05-01", conduct_to="2026-04-01")
    ).get_data(as_text=True)
    assert 'id="conduct_to-error"' in html


def test_conduct_date_in_the_future_is_refused(client):
    html = client.post("/report", data=report_form(conduct_from="2099-01-01")).get_data(
        as_text=True
    )
    assert 'id="conduct_from-error"' in html


@pytest.mark.parametrize("amount", ["abc", "-5", "1.234", "1e400"])
def test_malformed_amount_is_refused(client, amount):
    html = client.post("/report", data=report_form(amount=amount)).get_data(as_text=True)
    assert 'id="amount-error"' in html


def test_amount_with_yuan_sign_is_accepted(only_report, app, client):
    client.post("/report", data=report_form(amount="1,500,000元"))
    assert only_report().amount == Decimal("1500000.00")


@pytest.mark.parametrize(
    ("typed", "yuan"),
    [("3万", "30000.00"), ("3万元", "30000.00"), ("3.5万", "35000.00"), ("30,000", "30000.00"),
     ("１２万", "120000.00"), ("1.2亿元", "120000000.00")],
)  # fmt: skip
def test_amounts_are_read_as_people_write_them(only_report, app, client, typed, yuan):
    client.post("/report", data=report_form(amount=typed))
    assert only_report().amount == Decimal(yuan)


@pytest.mark.parametrize("typed", ["万", "3万万", "万3"])
def test_a_unit_without_a_number_is_refused(client, typed):
    html = client.post("/report", data=report_form(amount=typed)).get_data(as_text=True)
    assert 'id="amount-error"' in html


@pytest.mark.parametrize(
    "typed",
    ["640104 19850307 1238", "640104-19850307-1238", "６４０１０４１９８５０３０７１２３８"],
)
def test_an_id_number_with_spaces_hyphens_or_full_width_digits_is_accepted(
    only_report, app, client, recovery_private_key, typed
):
    response = client.post("/report", data=real_name(id_number=typed))
    assert response.status_code == 201


def test_the_form_gives_room_for_an_id_number_typed_with_spaces(client):
    html = client.get("/report").get_data(as_text=True)
    assert 'maxlength="18"' not in html


def test_facts_longer_than_the_limit_are_refused(client):
    html = client.post("/report", data=report_form(facts="很" * 10001)).get_data(as_text=True)
    assert 'id="facts-error"' in html


def test_honeypot_rejects_bots_and_stores_nothing(app, client):
    resp = client.post("/report", data=report_form(website="http://spam.example"))
    assert resp.status_code == 400
    assert count_reports(app) == 0


def test_same_form_posted_twice_files_one_report(app, client):
    data = report_form()
    first = client.post("/report", data=dict(data))
    second = client.post("/report", data=dict(data))
    assert (first.status_code, second.status_code) == (201, 409)
    assert count_reports(app) == 1


def test_two_evidence_files_are_stored_with_the_report(app, client):
    data = report_form()
    data["evidence"] = [(io.BytesIO(jpeg_with_gps()), "a.jpg"), (io.BytesIO(png_bytes()), "b.png")]
    assert client.post("/report", data=data, content_type="multipart/form-data").status_code == 201
    with app.extensions["db_sessionmaker"]() as session:
        kinds = session.scalars(select(Evidence.mime_type).order_by(Evidence.id)).all()
    assert kinds == ["image/jpeg", "image/png"]


def test_too_many_files_are_refused(client, app):
    app.config["EVIDENCE_MAX_FILES"] = 1
    data = report_form()
    data["evidence"] = [(io.BytesIO(png_bytes()), "a.png"), (io.BytesIO(png_bytes()), "b.png")]
    html = client.post("/report", data=data, content_type="multipart/form-data").get_data(
        as_text=True
    )
    assert 'id="evidence-error"' in html


def test_mislabelled_file_is_refused_by_name(client):
    client.set_cookie("lang", "en")
    data = report_form()
    data["evidence"] = [(io.BytesIO(b"MZ" + b"\x00" * 100), "photo.jpg")]
    html = client.post("/report", data=data, content_type="multipart/form-data").get_data(
        as_text=True
    )
    assert "photo.jpg" in html and "not a supported type" in html


def test_files_over_the_total_limit_are_refused(client, app):
    app.config["EVIDENCE_MAX_TOTAL_BYTES"] = 100
    data = report_form()
    data["evidence"] = [
        (io.BytesIO(png_bytes()), "a.png"),
        (io.BytesIO(png_bytes((1, 2, 3))), "b.png"),
    ]
    html = client.post("/report", data=data, content_type="multipart/form-data").get_data(
        as_text=True
    )
    assert 'id="evidence-error"' in html


def test_request_body_over_the_hard_limit_gets_a_clear_413_page(client, app):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    data = report_form()
    data["evidence"] = [(io.BytesIO(b"x" * 5000), "a.png")]
    resp = client.post("/report", data=data, content_type="multipart/form-data")
    assert resp.status_code == 413
    assert "<h1>" in resp.get_data(as_text=True)


def test_error_messages_are_in_chinese_by_default(client):
    html = client.post("/report", data=real_name(id_number="110105194912310021")).get_data(
        as_text=True
    )
    assert "身份证" in html


@pytest.mark.parametrize("app_config", [{"RATELIMIT_REPORT": "2 per hour"}])
def test_report_posts_are_rate_limited(client, app_config):
    codes = [client.post("/report", data=report_form()).status_code for _ in range(3)]
    assert codes == [201, 201, 429]


class TestWithCsrf:
    @pytest.fixture
    def app_config(self):
        return {"WTF_CSRF_ENABLED": True}

    def test_post_without_csrf_token_is_refused_keeping_the_text(self, app, client):
        resp = client.post("/report", data=report_form())
        assert resp.status_code == 422
        assert "该院组织参保人挂床住院" in resp.get_data(as_text=True)
        assert count_reports(app) == 0

    def test_refused_form_carries_a_fresh_token_that_works(self, client):
        html = client.post("/report", data=report_form()).get_data(as_text=True)
        token = html.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
        assert client.post("/report", data=report_form(csrf_token=token)).status_code == 201

    def test_report_form_carries_a_csrf_token(self, client):
        assert 'name="csrf_token"' in client.get("/report").get_data(as_text=True)
