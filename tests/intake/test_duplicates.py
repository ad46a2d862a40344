"""The staff page's duplicates panel, merging from it, and the queue's party search (docs/domain.md §8)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from intake.models import Stage
from intake.office.duplicates import list_duplicates


def _page(response: Any) -> str:
    return response.get_data(as_text=True)


def _panel(page: str) -> str:
    return (
        page.split('id="duplicates"')[1].split("</section>")[0] if 'id="duplicates"' in page else ""
    )


def _cases(db: Session, report: Any, user: Any) -> list[str]:
    return [d.case_number for d in list_duplicates(db, report, user)]


def test_reports_about_the_same_institution_with_overlapping_periods_are_listed(
    db: Session, make_report: Any, make_staff: Any, institutions: dict[str, Any]
) -> None:
    first = institutions["first"]
    one, _ = make_report(
        institution=first,
        conduct_from=date(2025, 1, 1),
        conduct_to=date(2025, 6, 30),
        violation_codes=["nominal_bed"],
    )
    other, _ = make_report(
        party_name="一院",
        institution=first,
        conduct_from=date(2025, 5, 1),
        violation_codes=["fake_visits"],
    )
    [line] = list_duplicates(db, one, make_staff("intake_officer"))
    assert line.case_number == other.case_number and line.same_institution
    assert line.period == (date(2025, 5, 1), date(2025, 6, 30)) and line.shared_violations == ()


def test_reports_naming_a_violation_type_in_common_are_listed(
    db: Session, make_report: Any, make_staff: Any, institutions: dict[str, Any]
) -> None:
    one, _ = make_report(
        institution=institutions["first"], violation_codes=["nominal_bed", "fake_visits"]
    )
    other, _ = make_report(institution=institutions["first"], violation_codes=["fake_visits"])
    [line] = list_duplicates(db, one, make_staff("intake_officer"))
    assert line.shared_violations == ("fake_visits",) and line.period is None


def test_the_same_free_text_party_is_matched_however_it_was_typed(
    db: Session, make_report: Any, make_staff: Any
) -> None:
    one, _ = make_report(party_name="银川 某某 诊所")
    other, _ = make_report(party_name="银川某某诊所！")
    assert _cases(db, one, make_staff("intake_officer")) == [other.case_number]


def test_a_free_text_party_meets_the_reports_linked_to_the_institution_of_that_name(
    db: Session, make_report: Any, make_staff: Any, institutions: dict[str, Any]
) -> None:
    typed, _ = make_report(party_name="银川市人民医院")  # the former name of 第一人民医院
    linked, _ = make_report(party_name="一院", institution=institutions["first"])
    officer = make_staff("intake_officer")
    assert _cases(db, typed, officer) == [linked.case_number]
    assert _cases(db, linked, officer) == [typed.case_number]


def test_reports_without_overlap_are_not_listed(
    db: Session, make_report: Any, make_staff: Any, institutions: dict[str, Any]
) -> None:
    one, _ = make_report(
        institution=institutions["first"],
        conduct_from=date(2024, 1, 1),
        conduct_to=date(2024, 3, 1),
        violation_codes=["nominal_bed"],
    )
    make_report(
        institution=institutions["first"],
        conduct_from=date(2024, 3, 2),
        violation_codes=["fake_visits"],
    )
    make_report(institution=institutions["first"], violation_codes=["fake_visits"])  # no period
    assert _cases(db, one, make_staff("intake_officer")) == []


def test_reports_about_other_parties_are_not_listed(
    db: Session, make_report: Any, make_staff: Any, institutions: dict[str, Any]
) -> None:
    one, _ = make_report(institution=institutions["first"])
    make_report(party_name="银川市第一人民医院", institution=institutions["jinfeng"])
    make_report(party_name="另一家医院")
    assert _cases(db, one, make_staff("intake_officer")) == []


def test_reports_of_other_jurisdictions_are_not_listed(
    db: Session, make_report: Any, make_staff: Any
) -> None:
    one, _ = make_report(region_code="640104", party_name="某某诊所")
    make_report(region_code="110105", party_name="某某诊所")
    sibling, _ = make_report(region_code="640106", party_name="某某诊所")
    assert _cases(db, one, make_staff("intake_officer", region_code="640104")) == []
    assert _cases(db, one, make_staff("intake_officer", region_code="640100")) == [
        sibling.case_number
    ]


def test_a_report_already_merged_is_not_listed(
    db: Session, make_report: Any, make_staff: Any
) -> None:
    one, _ = make_report(party_name="某某诊所")
    merged, _ = make_report(party_name="某某诊所")
    merged.merged_into = one
    merged.stage = Stage.CLOSED
    db.commit()
    assert _cases(db, one, make_staff("intake_officer")) == []


def test_the_panel_links_each_duplicate_with_its_stage_and_overlap(
    make_report: Any, make_staff: Any, login_as: Any, institutions: dict[str, Any]
) -> None:
    one, _ = make_report(institution=institutions["first"])
    other, _ = make_report(institution=institutions["first"])
    panel = _panel(
        _page(login_as(make_staff("investigator")).get(f"/staff/reports/{one.case_number}"))
    )
    assert f'href="/staff/reports/{other.case_number}"' in panel
    assert "待受理" in panel and "同一机构" in panel and "挂床住院" in panel


def test_a_reward_officer_sees_no_duplicates_panel(
    make_report: Any, make_staff: Any, login_as: Any
) -> None:
    one, _ = make_report(party_name="某某诊所")
    make_report(party_name="某某诊所")
    page = _page(login_as(make_staff("reward_officer")).get(f"/staff/reports/{one.case_number}"))
    assert 'id="duplicates"' not in page


def test_an_intake_officer_merges_a_duplicate_from_the_panel(
    db: Session, make_report: Any, make_staff: Any, login_as: Any
) -> None:
    first, _ = make_report(party_name="某某诊所")
    later, _ = make_report(party_name="某某诊所")
    officer = login_as(make_staff("intake_officer"))
    panel = _panel(_page(officer.get(f"/staff/reports/{later.case_number}")))
    assert f'name="merge-other" value="{first.case_number}"' in panel
    response = officer.post(
        f"/staff/reports/{later.case_number}/op/merge",
        data={"merge-other": first.case_number, "merge-reason": "同一诊所同一线索"},
    )
    assert response.status_code == 303
    db.expire_all()
    assert later.merged_into_id == first.id and later.stage is Stage.CLOSED


def test_a_merge_from_the_panel_without_a_reason_keeps_the_case_number(
    make_report: Any, make_staff: Any, login_as: Any
) -> None:
    first, _ = make_report(party_name="某某诊所")
    later, _ = make_report(party_name="某某诊所")
    response = login_as(make_staff("intake_officer")).post(
        f"/staff/reports/{later.case_number}/op/merge", data={"merge-other": first.case_number}
    )
    assert response.status_code == 422
    merge_form = _page(response).split('id="op-merge"')[1]
    assert f'value="{first.case_number}"' in merge_form.split("</details>")[0]


def test_an_investigator_sees_duplicates_but_no_merge_button(
    make_report: Any, make_staff: Any, login_as: Any
) -> None:
    one, _ = make_report(party_name="某某诊所")
    make_report(party_name="某某诊所")
    panel = _panel(
        _page(login_as(make_staff("investigator")).get(f"/staff/reports/{one.case_number}"))
    )
    assert panel and "merge-other" not in panel


# --- the queue's search by institution, code or party ----------------------------------


def test_the_queue_finds_reports_linked_to_an_institution_by_its_name(
    make_report: Any, make_staff: Any, login_as: Any, institutions: dict[str, Any]
) -> None:
    linked, _ = make_report(party_name="一院", institution=institutions["first"])
    other, _ = make_report(party_name="某某诊所")
    page = _page(login_as(make_staff("intake_officer")).get("/staff/?q=第一人民"))
    assert linked.case_number in page and other.case_number not in page


def test_the_queue_finds_reports_by_an_institutions_code_or_former_name(
    make_report: Any, make_staff: Any, login_as: Any, institutions: dict[str, Any]
) -> None:
    linked, _ = make_report(party_name="一院", institution=institutions["first"])
    officer = login_as(make_staff("intake_officer"))
    assert linked.case_number in _page(officer.get("/staff/?q=h640104"))
    assert linked.case_number in _page(officer.get("/staff/?q=银川市人民医院"))


def test_the_queue_finds_free_text_parties_folded_alike(
    make_report: Any, make_staff: Any, login_as: Any
) -> None:
    typed, _ = make_report(party_name="ＡＢＣ 诊所")
    page = _page(login_as(make_staff("intake_officer")).get("/staff/?q=abc诊所"))
    assert typed.case_number in page


def test_the_queue_search_combines_with_the_other_filters_and_stays_in_the_url(
    db: Session, make_report: Any, make_staff: Any, login_as: Any
) -> None:
    for _ in range(26):
        make_report(party_name="某某诊所", region_code="640104")
    elsewhere, _ = make_report(party_name="某某诊所", region_code="640106")
    page = _page(login_as(make_staff("intake_officer")).get("/staff/?q=某某诊所&region=640104"))
    assert elsewhere.case_number not in page and "26 件举报" in page
    assert "q=%E6%9F%90%E6%9F%90%E8%AF%8A%E6%89%80" in page and "page=2" in page
    assert 'value="某某诊所"' in page


def test_a_queue_search_that_folds_to_nothing_is_refused_clearly(
    make_staff: Any, login_as: Any
) -> None:
    response = login_as(make_staff("intake_officer")).get("/staff/?q=（）")
    assert response.status_code == 400 and "请输入名称的一部分或编码" in _page(response)


def test_the_second_page_of_a_queue_search_shows_the_rest(
    make_report: Any, make_staff: Any, login_as: Any
) -> None:
    made = [make_report(party_name="某某诊所")[0] for _ in range(26)]
    officer = login_as(make_staff("intake_officer"))
    first, second = (_page(officer.get(f"/staff/?q=某某诊所&page={n}")) for n in (1, 2))
    on_first = {r.case_number for r in made if r.case_number in first}
    on_second = {r.case_number for r in made if r.case_number in second}
    assert len(on_first) == 25 and len(on_second) == 1 and not on_first & on_second
