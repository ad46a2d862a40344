from tests.conftest import report_form


def test_anonymous_report_returns_receipt(client, recovery_private_key):
    resp = client.post("/report", data=report_form())
    assert resp.status_code == 201, resp.get_data(as_text=True)[:3000]
    html = resp.get_data(as_text=True)
    assert 'id="case-number"' in html and 'id="access-code"' in html
