import json
import os
import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from casualties.bundled.examples import load_example
from casualties.bundled.gaza_daily import DEFAULT_PATH, load_gaza_daily
from casualties.model.weeks import parse_week
from casualties.reporting import (
    aggregation,
    chart_compare,
    chart_manifests,
    chart_marks,
    chart_tables,
    chart_words,
    charts,
)
from casualties.store.database import Store

GOLDENS = Path(__file__).parent / "goldens" / "charts"
REGENERATE = os.environ.get("CASUALTIES_REGENERATE_GOLDENS") == "1"
AS_OF = date(2026, 8, 22)
GAZA_PERIOD = "2023-10-07 to 2026-08-22"


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    """The example data and the real Gaza series in one store: (figures, source names)."""
    store = Store.create(tmp_path_factory.mktemp("charts") / "x.db")
    load_example(store)
    load_gaza_daily(store, DEFAULT_PATH)
    sources = store.table("sources")
    return store.figures(), dict(zip(sources["id"], sources["name"], strict=True))


@pytest.fixture(scope="module")
def figures(loaded):
    return loaded[0]


PUBLICATION = "Tech For Palestine (palestine-datasets), casualties_daily.json @ 9ea6456f"


def context(loaded, metric, group, place="Gaza Strip", period=GAZA_PERIOD, as_of=AS_OF):
    return chart_words.ChartContext(
        metric, group, place, as_of, loaded[1], period, publications=(PUBLICATION,)
    )


def toll(loaded, group):
    steps = chart_tables.standing_over_time(loaded[0], "killed", group, AS_OF)
    return steps, charts.toll_chart(steps, context(loaded, "killed", group))


def gaza_weekly(loaded, group):
    weekly = aggregation.weekly_table(loaded[0], parse_week("2023-W41"), parse_week("2024-W05"))
    chosen = (weekly["metric"] == "killed") & (weekly["population_group"] == group)
    table = weekly[chosen].reset_index(drop=True)
    return table, charts.weekly_chart(table, context(loaded, "killed", group))


def displaced_weekly(loaded):
    week = parse_week("2024-W49")
    weekly = aggregation.weekly_table(loaded[0], week, week, date(2024, 12, 6))
    table = weekly[weekly["metric"] == "displaced"].reset_index(drop=True)
    ctx = context(loaded, "displaced", "civilians", "Syria", "2024-12-02 to 2024-12-08")
    return table, charts.weekly_chart(table, ctx)


def gaza_places(loaded):
    latest = chart_tables.latest_by_place(loaded[0], "killed", "people", AS_OF)
    return latest, charts.place_chart(latest, context(loaded, "killed", "people"))


def all_charts(loaded):
    return {
        "toll": toll(loaded, "people")[1],
        "weekly": gaza_weekly(loaded, "women")[1],
        "place": gaza_places(loaded)[1],
    }


def as_of_title(chart) -> str:
    return chart.axes[0].get_title(loc="right")


def line_end_labels(chart) -> list[str]:
    return [t.get_text() for t in chart.axes[0].texts if t.get_gid() == "line-end"]


def title_and_footnote(chart) -> tuple[str, str]:
    axes = chart.axes[0]
    return axes.get_title(loc="left"), " ".join(t.get_text() for t in chart.texts)


def legend_labels(chart) -> list[str]:
    return [t.get_text() for t in chart.axes[0].get_legend().get_texts()]


def drawn_labels(ticks) -> list[str]:
    return [t.get_text() for t in ticks]


@pytest.mark.parametrize("kind", ["toll", "weekly", "place"])
def test_chart_png_is_1600_by_900(loaded, tmp_path, kind):
    import matplotlib.image

    path = tmp_path / f"{kind}.png"
    charts.save_chart(all_charts(loaded)[kind], path)
    assert matplotlib.image.imread(path).shape[:2] == (900, 1600)


@pytest.mark.parametrize("kind", ["toll", "weekly", "place"])
def test_title_says_what_where_when_and_footnote_names_sources(loaded, kind):
    chart = all_charts(loaded)[kind]
    title, footnote = title_and_footnote(chart)
    assert title.startswith(("People killed", "Women killed"))
    assert "Gaza Strip" in title and GAZA_PERIOD in title
    assert as_of_title(chart) == "as of 2026-08-22"
    assert "Sources: Gaza Government Media Office; Gaza Ministry of Health." in footnote
    assert f"Published in: {PUBLICATION}." in footnote


def test_without_as_of_the_chart_is_as_of_its_last_day_drawn(loaded):
    steps = chart_tables.standing_over_time(loaded[0], "killed", "civilians")
    ctx = context(loaded, "killed", "civilians", "Syria", as_of=None)
    chart = charts.toll_chart(steps, replace(ctx, last_day="2024-12-06"))
    _, footnote = title_and_footnote(chart)
    assert "Syrian Observatory for Human Rights" in footnote
    assert as_of_title(chart) == "as of 2024-12-06"
    assert chart_words.last_drawn_day("toll", steps) == "2024-12-06"


def test_titles_and_axes_use_the_vocabularys_plain_english_labels(loaded):
    chart = toll(loaded, "children")[1]
    title, _ = title_and_footnote(chart)
    assert title == "Children killed, Gaza Strip, 2023-10-07 to 2026-08-22"
    assert chart.axes[0].get_ylabel() == "Children killed, running total"
    weekly = gaza_weekly(loaded, "women")[1]
    assert title_and_footnote(weekly)[0].startswith("Women killed, new per week, Gaza Strip")
    assert weekly.axes[0].get_ylabel() == "Women killed, new in the week"
    place = gaza_places(loaded)[1]
    assert place.axes[0].get_xlabel() == "People killed, latest figure"
    everything = " ".join([title, *legend_labels(chart), chart.axes[0].get_ylabel()])
    assert "(children)" not in everything and "(people)" not in everything


def test_each_line_ends_with_its_latest_value(loaded):
    """Each source's latest count is written at its line's end; one that stopped is dated."""
    steps, chart = toll(loaded, "people")
    assert line_end_labels(chart) == ["18,800 (2023-12-15)", "73,419"]
    last = steps.groupby("source_id")["low"].last()
    assert (last["gaza-gmo"], last["gaza-moh"]) == (18800, 73419)


def test_line_end_labels_never_overlap(loaded):
    """Two sources ending at the same count: their labels are nudged apart."""
    steps, _ = toll(loaded, "people")
    twin = steps[steps["source_id"] == "gaza-moh"].assign(source_id="gaza-gmo")
    chart = charts.toll_chart(
        pd.concat([steps[steps["source_id"] == "gaza-moh"], twin], ignore_index=True),
        context(loaded, "killed", "people"),
    )
    chart.canvas.draw()
    renderer = chart.canvas.get_renderer()
    ends = [t for t in chart.axes[0].texts if t.get_gid() == "line-end"]
    # The label's own box, not its leader line back to the point.
    boxes = [t.get_bbox_patch().get_window_extent(renderer) for t in ends]
    assert len(boxes) == 2 and not boxes[0].overlaps(boxes[1])


def test_spread_keeps_labels_a_gap_apart_within_the_plot():
    from casualties.reporting.chart_labels import spread

    assert spread([100, 100, 300], 18, 500) == [100, 118, 300]
    assert spread([495, 500], 18, 500) == [482, 500]
    assert spread([10, 400], 18, 500) == [10, 400]


def test_count_axis_has_thousands_separators(loaded):
    chart = toll(loaded, "people")[1]
    chart.canvas.draw()
    labels = drawn_labels(chart.axes[0].get_yticklabels())
    assert "70,000" in labels
    assert all("," in label for label in labels if len(label.replace(",", "")) > 3)


def test_place_chart_counts_along_x_with_separators(loaded):
    chart = gaza_places(loaded)[1]
    chart.canvas.draw()
    assert "60,000" in drawn_labels(chart.axes[0].get_xticklabels())
    assert drawn_labels(chart.axes[0].get_yticklabels()) == ["Gaza Strip"]


def test_women_toll_marks_the_ministrys_revision(loaded):
    import matplotlib.dates as mdates

    steps, chart = toll(loaded, "women")
    revised = steps[steps["revision"]]
    assert list(zip(revised["source_id"], revised["day"], revised["low"], strict=True)) == [
        ("gaza-moh", "2023-10-21", 967)
    ]
    assert chart_marks.REVISION_LABEL in legend_labels(chart)
    assert "revision" in chart_marks.REVISION_LABEL
    (marker,) = [
        c for c in chart.axes[0].collections if c.get_label() == chart_marks.REVISION_LABEL
    ]
    ((x, y),) = marker.get_offsets()
    assert mdates.num2date(x).date() == date(2023, 10, 21) and y == 967
    assert "−33" in [t.get_text() for t in chart.axes[0].texts]  # 1,000 fell to 967


def test_weekly_chart_hatches_the_revised_week_and_notes_the_fall(loaded):
    table, chart = gaza_weekly(loaded, "women")
    assert table["revision"].sum() == 1
    assert chart_marks.REVISION_LABEL in legend_labels(chart)
    assert "−33" in [t.get_text() for t in chart.axes[0].texts]
    hatched = [p for p in chart.axes[0].patches if p.get_hatch()]
    assert [p.get_height() for p in hatched] == [747]


def bar_values(chart) -> list:
    return [t for t in chart.axes[0].texts if t.get_gid() == "bar-value"]


@pytest.mark.parametrize("group", ["women", "people"])
def test_each_weekly_bar_carries_its_number_clear_of_the_others_and_the_legend(loaded, group):
    from casualties.model.notation import range_text

    table, chart = gaza_weekly(loaded, group)
    drawn = table[table["new_low"].notna()]
    wanted = [range_text(r.new_low, r.new_high, r.new_best) for r in drawn.itertuples()]
    labels = bar_values(chart)
    assert [t.get_text() for t in labels] == wanted and len(wanted) > 10
    axes = chart.axes[0]
    renderer = chart.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in labels]
    legend = axes.get_legend().get_window_extent(renderer)
    plot = axes.get_window_extent(renderer)
    for n, box in enumerate(boxes):
        assert not any(box.overlaps(other) for other in boxes[n + 1 :]), labels[n].get_text()
        assert not box.overlaps(legend), labels[n].get_text()
        assert plot.y0 <= box.y0 and box.y1 <= plot.y1, labels[n].get_text()


def test_weekly_bars_too_narrow_for_their_numbers_carry_none(loaded):
    # Three years of weeks, two sources: a number even on its side would meet the next.
    weekly = aggregation.weekly_table(loaded[0], parse_week("2023-W41"), parse_week("2026-W34"))
    chosen = (weekly["metric"] == "killed") & (weekly["population_group"] == "people")
    chart = charts.weekly_chart(
        weekly[chosen].reset_index(drop=True), context(loaded, "killed", "people")
    )
    assert len(chart.axes[0].patches) > 150 and bar_values(chart) == []


def test_weekly_bars_of_sources_stand_side_by_side(loaded):
    table, chart = gaza_weekly(loaded, "people")
    bars = chart.axes[0].patches
    assert len(bars) == len(table)
    both = table.groupby("week")["source_id"].transform("nunique") == 2
    lefts = [bar.get_x() for bar, shared in zip(bars, both, strict=True) if shared]
    assert len(lefts) == len(set(lefts))  # no two bars of one week on the same spot


def test_weekly_whisker_reaches_the_high_figure(loaded):
    table, chart = displaced_weekly(loaded)
    assert list(table[["new_low", "new_high"]].iloc[0]) == [20000, 99999]
    assert "Civilians newly displaced, new per week, Syria" in title_and_footnote(chart)[0]
    (whiskers,) = chart.axes[0].containers[1:]
    segment = whiskers.lines[2][0].get_segments()[0]
    assert [y for _, y in segment] == [20000, 99999]


def test_place_names_come_from_the_gazetteer_joined_with_and():
    assert chart_words.place_name("SY07;SY02") == "Idleb and Aleppo"
    assert chart_words.place_name("PSE.gaza-strip") == "Gaza Strip"
    assert chart_words.place_name("XX.unknown") == "XX.unknown"


def test_place_chart_gives_each_source_a_bar_with_its_date(loaded):
    latest, chart = gaza_places(loaded)
    assert sorted(latest["source_id"]) == ["gaza-gmo", "gaza-moh"]
    widths = sorted(p.get_width() for p in chart.axes[0].patches)
    assert widths == [18800, 73419]
    notes = [t.get_text() for t in chart.axes[0].texts]
    assert "73,419 (to 2026-08-22)" in notes and "18,800 (to 2023-12-15)" in notes


def test_a_source_keeps_its_colour_across_charts(loaded):
    import matplotlib.colors as mcolors

    moh = charts.source_colours(context(loaded, "killed", "people"), [])["gaza-moh"]
    toll_line = [line for line in all_charts(loaded)["toll"].axes[0].lines]
    bars = [p for p in all_charts(loaded)["place"].axes[0].patches]
    assert mcolors.same_color(toll_line[-1].get_color(), moh)
    assert any(mcolors.same_color(bar.get_facecolor(), moh) for bar in bars)
    assert moh in charts.PALETTE


@pytest.mark.parametrize("build", [charts.toll_chart, charts.weekly_chart, charts.place_chart])
def test_an_empty_table_is_refused_not_drawn(loaded, build):
    empty = pd.DataFrame(columns=["source_id", "day", "ids"])
    with pytest.raises(charts.NothingToChart, match="no figures to chart for Camels killed"):
        build(empty, context(loaded, "killed", "camels", "Syria"))


@pytest.mark.parametrize("kind", ["toll", "weekly", "place"])
def test_same_data_gives_the_same_bytes(loaded, tmp_path, kind):
    first, second = tmp_path / "first.png", tmp_path / "second.png"
    charts.save_chart(all_charts(loaded)[kind], first)
    charts.save_chart(all_charts(loaded)[kind], second)
    assert first.read_bytes() == second.read_bytes()
    assert b"matplotlib" not in first.read_bytes()  # no version stamped in


def test_manifest_names_every_figure_and_each_points_ids(loaded):
    steps, _ = toll(loaded, "women")
    manifest = chart_manifests.chart_manifest(
        "toll", steps, context(loaded, "killed", "women"), Path("w.png")
    )
    assert json.loads(json.dumps(manifest)) == manifest
    assert manifest["kind"] == "toll" and manifest["file"] == "w.png"
    assert manifest["context"]["as_of"] == "2026-08-22"
    assert manifest["figure_ids"] == sorted(set(steps["ids"]))
    assert len(manifest["points"]) == len(steps)
    revision = {"source_id": "gaza-moh", "x": "2023-10-21", "value": 967}
    assert any(revision.items() <= point.items() for point in manifest["points"])


def test_weekly_manifest_holds_new_and_revision_ids(loaded):
    table, _ = gaza_weekly(loaded, "women")
    manifest = chart_manifests.chart_manifest(
        "weekly", table, context(loaded, "killed", "women"), "w.png"
    )
    assert "pse-moh-women-killed-2023-10-19" in manifest["figure_ids"]  # the 1,000 revised
    (fall,) = [p for p in manifest["points"] if p["what"] == "revision fall"]
    assert fall["value"] == 33 and fall["x"] == "2023-W42"
    assert "pse-moh-women-killed-2023-10-21" in fall["ids"]


def test_manifest_refuses_an_unknown_kind(loaded):
    with pytest.raises(ValueError, match="pie"):
        chart_manifests.chart_manifest(
            "pie", gaza_places(loaded)[0], context(loaded, "a", "b"), "p.png"
        )


@pytest.mark.parametrize("group", ["people", "women"])
def test_gaza_killed_toll_matches_the_golden(loaded, tmp_path, group):
    from matplotlib.testing.compare import compare_images

    # The README shows these two: the women's toll carries the Ministry's revision.
    golden = GOLDENS / f"gaza_killed_{group}_toll.png"
    actual = tmp_path / golden.name
    charts.save_chart(toll(loaded, group)[1], actual)
    if REGENERATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(actual, golden)
    assert golden.exists(), (
        f"no golden {golden}: run CASUALTIES_REGENERATE_GOLDENS=1 pytest tests/test_charts.py"
    )
    assert compare_images(str(golden), str(actual), tol=2) is None


def test_an_at_least_bar_is_drawn_open(loaded):
    # The White Helmets' "at least 25" civilians of Sunday, 2024-12-01 (week 48).
    week = parse_week("2024-W48")
    weekly = aggregation.weekly_table(loaded[0], week, week)
    chosen = (weekly["metric"] == "killed") & (weekly["population_group"] == "civilians")
    table = weekly[chosen].reset_index(drop=True)
    assert (table["new_low"].iloc[0], table["new_high"].isna().iloc[0]) == (25, True)
    ctx = context(loaded, "killed", "civilians", "Syria", "2024-11-25 to 2024-12-01")
    chart = charts.weekly_chart(table, ctx)
    assert chart_marks.OPEN_LABEL in legend_labels(chart)
    (marker,) = [c for c in chart.axes[0].collections if c.get_label() == chart_marks.OPEN_LABEL]
    assert [y for _, y in marker.get_offsets()] == [25]


def test_a_source_that_stopped_reporting_is_dated_in_the_legend(loaded):
    labels = legend_labels(toll(loaded, "people")[1])
    assert "Gaza Government Media Office (last report 2023-12-15)" in labels
    assert "Gaza Ministry of Health" in labels


def test_a_source_with_no_bar_in_any_week_gets_no_legend_entry(loaded):
    """A week holding only a source's revision draws no bar for it: the legend does not
    name it (an entry points at something drawn), while the revision stays marked."""
    table, chart = gaza_weekly(loaded, "women")
    revised_only = table.assign(new_low=None, new_best=None, new_high=None)
    revised_only = revised_only[revised_only["source_id"] == "gaza-moh"].reset_index(drop=True)
    mixed = charts.weekly_chart(
        pd.concat([table[table["source_id"] != "gaza-moh"], revised_only], ignore_index=True),
        context(loaded, "killed", "women"),
    )
    labels = legend_labels(mixed)
    assert loaded[1]["gaza-moh"] not in labels
    assert loaded[1]["gaza-moh"] in legend_labels(chart)
    assert chart_marks.REVISION_LABEL in labels


WEEK_ONE = "2024-01-01 to 2024-01-07"


@pytest.mark.parametrize(
    "kind, rows, period",
    [
        ("toll", {"day": ["2023-10-08", "2024-03-09"]}, "2023-10-08 to 2024-03-09"),
        ("toll", {"day": ["2023-10-08"]}, "2023-10-08"),
        ("weekly", {"week_start": ["2024-01-01"], "week_end": ["2024-01-07"]}, WEEK_ONE),
        ("place", {"period_end": ["2024-01-07", "2024-01-01"]}, f"periods ending {WEEK_ONE}"),
        ("place", {"period_end": []}, "no figures"),
    ],
)
def test_a_title_is_dated_by_what_the_chart_draws(kind, rows, period):
    assert chart_words.drawn_period(kind, pd.DataFrame(rows)) == period


def syria_compared(loaded):
    week = parse_week("2024-W49")
    compared = chart_tables.sources_compared(loaded[0], "killed", "civilians", week)
    period = chart_words.drawn_period("compare", compared)
    ctx = context(loaded, "killed", "civilians", "Syria", period, as_of=None)
    ctx = replace(ctx, last_day=chart_words.last_drawn_day("compare", compared))
    return compared, chart_compare.compare_chart(compared, ctx), ctx


def test_compare_chart_sets_every_sources_latest_count_side_by_side(loaded):
    """SOHR's running total of 111 beside the White Helmets' 'at least 25' of one
    incident: a bar each, named, bounded and dated; the summary's rows, nothing added."""
    compared, chart, _ = syria_compared(loaded)
    assert list(compared["source_id"]) == ["sohr", "white-helmets"]
    axes = chart.axes[0]
    title, footnote = title_and_footnote(chart)
    what = "Civilians killed, latest count by source, Syria"
    assert title == f"{what}, periods ending 2024-12-01 to 2024-12-06"
    assert as_of_title(chart) == "as of 2024-12-06"
    assert sorted(p.get_width() for p in axes.patches) == [25, 111]
    names = [t.get_text() for t in axes.get_yticklabels()]
    assert names == [
        "Syria Civil Defence (the White Helmets)\none incident or period",
        "Syrian Observatory for Human Rights\nrunning total since 2024-11-25",
    ]
    notes = [t.get_text() for t in axes.texts]
    assert "111  (to 2024-12-06)" in notes
    assert "≥25  (to 2024-12-01, reported 2024-12-06)" in notes
    assert legend_labels(chart) == [chart_marks.OPEN_LABEL]  # the arrowhead; names are on the axis
    assert "Published in: " in footnote


def test_compare_rows_are_the_summarys(loaded):
    from casualties.reporting.summary import weekly_summary

    week = parse_week("2024-W49")
    summary = weekly_summary(loaded[0], week)
    mine = summary[(summary["metric"] == "killed") & (summary["population_group"] == "civilians")]
    compared = chart_tables.sources_compared(loaded[0], "killed", "civilians", week)
    assert list(compared["ids"]) == list(mine["ids"])
    assert list(compared["low"]) == list(mine["latest_low"])


def test_compare_manifest_traces_each_bar_to_its_figure(loaded):
    compared, _, ctx = syria_compared(loaded)
    manifest = chart_manifests.chart_manifest("compare", compared, ctx, Path("c.png"))
    points = {(p["source_id"], p["x"], p["value"]): p["ids"] for p in manifest["points"]}
    assert points == {
        ("sohr", "2024-12-06", 111): ["syr-sohr-civilians-killed-2024-12-06"],
        ("white-helmets", "2024-12-01", 25): ["syr-wh-civilians-killed-2024-12-01"],
    }
    assert manifest["title"] == title_and_footnote(syria_compared(loaded)[1])[0]


def test_compare_chart_gives_the_same_bytes(loaded, tmp_path):
    first, second = tmp_path / "first.png", tmp_path / "second.png"
    charts.save_chart(syria_compared(loaded)[1], first)
    charts.save_chart(syria_compared(loaded)[1], second)
    assert first.read_bytes() == second.read_bytes()


def test_the_source_line_names_only_sources_drawn(loaded):
    """Weeks where the Media Office reported nothing new draw no bar of it: neither the
    legend nor the source line names it."""
    table, _ = gaza_weekly(loaded, "people")
    late = table[table["week_start"] >= "2024-01-01"].reset_index(drop=True)
    assert set(late["source_id"]) == {"gaza-gmo", "gaza-moh"}
    assert late.loc[late["source_id"] == "gaza-gmo", "new_low"].isna().all()
    chart = charts.weekly_chart(late, context(loaded, "killed", "people"))
    _, footnote = title_and_footnote(chart)
    assert "Sources: Gaza Ministry of Health." in footnote
    assert legend_labels(chart) == ["Gaza Ministry of Health"]


def test_a_toll_of_one_report_shows_the_weeks_around_it_not_years(loaded):
    import matplotlib.dates as mdates

    steps = chart_tables.standing_over_time(loaded[0], "killed", "civilians")
    assert list(steps["day"]) == ["2024-12-06"]
    chart = charts.toll_chart(steps, context(loaded, "killed", "civilians", "Syria", "2024-12-06"))
    left, right = (mdates.num2date(x).date() for x in chart.axes[0].get_xlim())
    assert left == date(2024, 11, 22) and date(2024, 12, 20) <= right <= date(2024, 12, 24)
    assert line_end_labels(chart) == ["111"]


def test_revision_labels_close_together_do_not_overlap(loaded):
    """Two falls two days apart on the same line: their sizes are written apart."""
    steps, _ = toll(loaded, "women")
    moh = steps[steps["source_id"] == "gaza-moh"].reset_index(drop=True)
    fell = moh.index[moh["revision"]][0]
    twin = moh.copy()
    twin.loc[fell + 1, ["low", "best", "high"]] = twin.loc[fell, "low"] - 10
    twin.loc[fell + 1, "revision"] = True
    chart = charts.toll_chart(twin, context(loaded, "killed", "women"))
    labels = [t for t in chart.axes[0].texts if t.get_gid() == "revision"]
    assert [t.get_text() for t in labels] == ["−33", "−10"]
    chart.canvas.draw()
    renderer = chart.canvas.get_renderer()
    first, second = (t.get_bbox_patch().get_window_extent(renderer) for t in labels)
    assert not first.overlaps(second)
