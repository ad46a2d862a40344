"""bench/results.md is made from every size's JSON, a column per size (bench/results.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bench import results


def figures(size: str, reports: int, **overrides: Any) -> dict[str, Any]:
    run = {"name": "rss", "rps": 1000.0, "p50_ms": 1.0, "p95_ms": 2.0, "p99_ms": 3.0,
           "requests": 10, "errors": 0, "statuses": {}}  # fmt: skip
    data = {
        "size": size,
        "measured": "2026-12-02 06:00 UTC",
        "command": f"python bench/run.py --size {size}",
        "settings": {"duration": 10, "threads": 2, "connections": 8, "mixed_duration": 180},
        "data": {
            "reports": reports,
            "cases": reports // 20,
            "disclosures": 360,
            "overdue_in_city": 1,
            "institutions": 2,
            "linked_reports": 3,
            "search_text": "某",
            "found_in_city": 4,
        },  # fmt: skip
        "seed": {"seconds": 14.0, "steps": {"rows_and_copy": 9.0}, "rollup_seconds": None},
        "baseline": {"before": 1000.0, "after": 1000.0, "mean": 1000.0},
        "argon2_ceiling": 9.5,
        "peak_mb": 150.0,
        "base_peak_mb": 30.0,
        "runs": {"rss": run},
        "targets": [
            {
                "label": "Cases RSS feed",
                "figure": "1.00 × baseline",
                "goal": "≥ 0.7 × baseline",
                "met": True,
            }
        ],  # fmt: skip
        "mixed": None,
        "hosts": None,
        "machine": {"CPU": "test"},
    }
    data.update(overrides)
    return data


def test_sizes_are_ordered_by_their_reports(tmp_path: Path) -> None:
    for size, reports in (("2m", 2_000_000), ("200k", 200_000), ("1m", 1_000_000)):
        results.results_path(tmp_path, size).write_text(json.dumps(figures(size, reports)))
    assert [f["size"] for f in results.load_all(tmp_path)] == ["200k", "1m", "2m"]


def test_a_target_one_size_lacks_shows_a_dash_in_its_column() -> None:
    small = figures("200k", 200_000)
    large = figures("1m", 1_000_000, targets=[])
    line = next(ln for ln in results.targets_table([small, large]).splitlines() if "RSS" in ln)
    assert line.endswith("| 1.00 × baseline, met | – |")


def test_a_missed_target_is_marked_in_its_size_column() -> None:
    missed = figures("1m", 1_000_000)
    missed["targets"][0]["met"] = False
    line = next(ln for ln in results.targets_table([missed]).splitlines() if "RSS" in ln)
    assert "**missed**" in line


def test_every_run_has_a_column_per_size() -> None:
    table = results.runs_table([figures("200k", 200_000), figures("1m", 1_000_000)])
    line = next(ln for ln in table.splitlines() if ln.startswith("| rss | requests/s"))
    assert line.count("1,000.0 (1.00 ×)") == 2


def test_the_seed_row_says_when_the_rollups_have_no_command() -> None:
    table = results.runs_table([figures("200k", 200_000)])
    assert "| Statistics rollups | rebuild after the seed, seconds | no command |" in table


def test_names_met_in_several_lists_are_kept_once_in_first_order() -> None:
    assert results.ordered_union([["a", "b"], ["c", "a"]]) == ["a", "b", "c"]


def test_a_delay_summary_gives_median_and_worst() -> None:
    assert results.delay_summary([100.0, 300.0, 200.0]) == "200 / 300 ms (3 rounds)"


def test_a_delay_summary_counts_changes_that_never_showed() -> None:
    assert results.delay_summary([100.0, None]).endswith("**1 never shown**")


def test_making_results_again_keeps_the_notices_section(tmp_path: Path) -> None:
    results.results_path(tmp_path, "200k").write_text(json.dumps(figures("200k", 200_000)))
    md = tmp_path / "results.md"
    md.write_text("# old\n\n## Notices\n\nkept figures\n\n## Set-up\n\nold set-up\n")
    results.write_all(tmp_path, md)
    assert "## Notices\n\nkept figures\n" in md.read_text()


def test_the_notices_part_replaces_only_its_section(tmp_path: Path) -> None:
    md = tmp_path / "results.md"
    md.write_text("# r\n\n## Notices\n\nold\n\n## Set-up\n\nstays\n")
    results.put_section(md, "## Notices\n\nnew\n")
    assert md.read_text() == "# r\n\n## Notices\n\nnew\n\n## Set-up\n\nstays\n"


def test_mixed_and_hosts_sections_appear_only_when_measured() -> None:
    text = results.render([figures("200k", 200_000)], None)
    assert "## Mixed run" not in text and "## Two hosts" not in text


def hosts_figures() -> dict[str, Any]:
    classes = {"cached": {"requests": 9, "share": 1.0, "p50_ms": 1.0, "p95_ms": 2.0,
                          "p99_ms": 3.0, "unexpected": 0, "statuses": {"200": 9}}}  # fmt: skip
    return {
        "delays": {"publish / case page": [120.0, 80.0, None]},
        "track_statuses": [401, 401, 401, 401, 401, 429],
        "mixed": {"per_second": 30.0, "classes": classes},
        "peak_mb_b": [150.0, 149.0],
    }


def test_the_hosts_table_gives_each_change_and_page_its_delays() -> None:
    table = results.hosts_table([figures("200k", 200_000, hosts=hosts_figures())])
    assert "| publish | case page | 100 / 120 ms (3 rounds), **1 never shown** |" in table


def test_the_hosts_table_lists_the_statuses_of_the_wrong_tries_in_order() -> None:
    table = results.hosts_table([figures("200k", 200_000, hosts=hosts_figures())])
    assert "| 401 401 401 401 401 429 |" in table


def test_a_run_where_no_request_finished_says_so() -> None:
    slow = figures("2m", 2_000_000)
    slow["runs"]["rss"] |= {"requests": 0, "rps": 0.0}
    table = results.runs_table([slow])
    assert "| rss | requests/s (× baseline) | none finished within the run |" in table


def test_database_cost_shows_each_page_class_for_each_size_that_measured_it() -> None:
    cost = {"name": "case page", "requests": 60, "queries": 2.0, "db_ms": 0.84, "total_ms": 3.1}
    size = {"database": 3 * 2**30, "reports_table": 2**30, "reports_indexes": 2**29,
            "report_events": 2**28}  # fmt: skip
    small = figures("200k", 200_000, dbcost={"costs": [cost], "size": size})
    text = results.dbcost_table([small, figures("1m", 1_000_000)])
    assert text is not None
    assert text.splitlines()[0] == "| Page class | Statements; database ms; total ms | 200k |"
    assert "| case page | per request | 2.0; 0.8; 3.1 |" in text
    assert "| the whole database | size, MB | 3,072 |" in text


def test_the_analysis_of_missed_targets_is_carried_into_the_results(tmp_path: Path) -> None:
    results.results_path(tmp_path, "200k").write_text(json.dumps(figures("200k", 200_000)))
    (tmp_path / "misses.md").write_text("## Why a target is missed\n\nThe queue: measured.\n")
    out = tmp_path / "results.md"
    results.write_all(tmp_path, out)
    assert "## Why a target is missed\n\nThe queue: measured." in out.read_text()
