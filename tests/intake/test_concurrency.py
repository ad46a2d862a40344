from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from intake.models import Evidence, Report
from tests.conftest import report_form


@pytest.fixture
def app_config():
    # Fifty posts from one test address would otherwise meet the per-client limit.
    return {"RATELIMIT_REPORT": "1000 per hour"}


def test_fifty_simultaneous_submissions_get_fifty_distinct_case_numbers(app, fresh):
    def submit(_):
        html = app.test_client().post("/report", data=report_form()).get_data(as_text=True)
        return html.split('id="case-number">')[1].split("<")[0]

    with ThreadPoolExecutor(max_workers=16) as pool:
        numbers = list(pool.map(submit, range(50)))
    assert len(set(numbers)) == 50
    assert fresh().scalar(select(func.count()).select_from(Report)) == 50


def test_simultaneous_posts_of_one_form_file_one_report(app, fresh):
    data = report_form()

    def submit(_):
        return app.test_client().post("/report", data=dict(data)).status_code

    with ThreadPoolExecutor(max_workers=4) as pool:
        codes = sorted(pool.map(submit, range(4)))
    assert codes == [201, 409, 409, 409]
    assert fresh().scalar(select(func.count()).select_from(Report)) == 1


def test_failed_submission_leaves_no_evidence_behind(app, client, fresh):
    import io

    from tests.conftest import VALID_ID, png_bytes

    # Real-name without a recovery key fails after the evidence was processed.
    data = report_form(
        identity_mode="real_name", real_name="王晓明", id_number=VALID_ID, phone="13912345678"
    )
    data["evidence"] = [(io.BytesIO(png_bytes()), "a.png")]
    assert client.post("/report", data=data, content_type="multipart/form-data").status_code == 503
    session = fresh()
    assert session.scalar(select(func.count()).select_from(Evidence)) == 0
    assert session.scalar(select(func.count()).select_from(Report)) == 0
