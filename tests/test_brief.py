"""brief.html: one self-contained page, every number footnoted, opened and printed by Chromium."""

import base64
import json
import re
import subprocess

import pytest
from click.testing import CliRunner

from casualties.cli.app import cli
from tests.conftest import chromium

PNG = b"\x89PNG\r\n\x1a\n"
# Run in a copy of the page only: the brief itself holds no script. It waits for every
# image, then writes what loaded and what failed into the DOM that --dump-dom prints.
PROBE = """<script>
const failures = [];
addEventListener("error", e => failures.push(String(e.message || e.target.src || e)), true);
addEventListener("load", () => {
  const images = [...document.images];
  const broken = images.filter(i => !i.complete || i.naturalWidth === 0).length;
  const out = document.createElement("pre");
  out.id = "probe";
  out.textContent = JSON.stringify({images: images.length, broken, failures});
  document.body.append(out);
});
</script>"""


def run(db, *args):
    return CliRunner().invoke(cli, ["--db", db, *args], catch_exceptions=False)


@pytest.fixture(scope="module")
def example_pack(tmp_path_factory):
    folder = tmp_path_factory.mktemp("brief")
    db = str(folder / "example.db")
    assert run(db, "init", "--example").exit_code == 0
    out = folder / "2024-W49"
    assert run(db, "report", "weekly", "--week", "2024-W49", "--out", str(out)).exit_code == 0
    return out


def test_the_pack_lists_the_brief_with_the_ids_of_its_notes_and_charts(example_pack):
    manifest = json.loads((example_pack / "manifest.json").read_text())
    files = {f["file"]: f for f in manifest["files"]}
    assert files["brief.html"]["kind"] == "brief"
    page = (example_pack / "brief.html").read_text(encoding="utf-8")
    footnoted = set(re.findall(r'<li id="n\d+"><code>([^<]+)</code>', page))
    # Every number of the summary is footnoted; the charts embedded add theirs.
    assert footnoted == set(files["summary.md"]["figure_ids"])
    charts = [f for f in files.values() if f["kind"].startswith("chart:")]
    assert set(files["brief.html"]["figure_ids"]) >= footnoted
    assert set(files["brief.html"]["figure_ids"]) <= footnoted | {
        i for c in charts for i in c["figure_ids"]
    }
    # The key figures' charts (no subsets: children, women); the pack holds the rest.
    assert page.count("<img") == 5 and "2 more charts in the pack's folder." in page


def test_the_brief_is_one_file_without_script_and_says_what_it_was_made_from(example_pack):
    page = (example_pack / "brief.html").read_text(encoding="utf-8")
    manifest = json.loads((example_pack / "manifest.json").read_text())
    assert "<script" not in page.lower()
    assert not re.search(r'(src|href)="(?!data:|#|https?://)', page), "a link outside the file"
    assert "@page { size: A4" in page
    assert "2024-W49" in page and "2024-12-02 to 2024-12-08" in page
    assert manifest["store_time"] and manifest["store_time"] in page
    images = re.findall(r'<img src="data:image/png;base64,([^"]+)"', page)
    assert len(images) == page.count("<img") > 0
    assert all(base64.b64decode(data).startswith(PNG) for data in images)


def test_the_header_names_the_as_of_day_and_an_empty_week_says_so(tmp_path):
    db = str(tmp_path / "example.db")
    assert run(db, "init", "--example").exit_code == 0
    out = tmp_path / "then"
    args = ["report", "weekly", "--week", "2024-W49", "--as-of", "2024-12-08", "--out", str(out)]
    assert run(db, *args).exit_code == 0
    page = (out / "brief.html").read_text(encoding="utf-8")
    assert "figures reported by 2024-12-08 (--as-of)" in page
    empty = tmp_path / "empty"
    assert run(db, "report", "weekly", "--week", "2014-W01", "--out", str(empty)).exit_code == 0
    page = (empty / "brief.html").read_text(encoding="utf-8")
    assert "No figure stands in this week." in page and "<img" not in page


def test_every_number_is_footnoted_to_source_publication_and_quote(example_pack):
    page = (example_pack / "brief.html").read_text(encoding="utf-8")
    # The example's SOHR running total, its note, and the quote it comes from.
    assert re.search(r'<td class="n">111<sup><a href="#n\d+">', page)
    note = re.search(
        r'<li id="n\d+"><code>syr-sohr-civilians-killed-2024-12-06</code>(.*?)</li>', page
    )
    assert note and "Syrian Observatory for Human Rights" in note.group(1)
    # The example's publications give no address: publisher, title and day.
    assert "UPI, <cite>Syrian civilians flee Homs" in note.group(1) and "2024-12-06" in note.group(
        1
    )
    assert "<q>SOHR, which gathers data" in note.group(1)
    linked = set(re.findall(r'href="#(n\d+)"', page))
    assert linked == set(re.findall(r'<li id="(n\d+)"', page))
    assert "<dt>Civilians</dt>" in page and "People not taking a direct part" in page


def test_text_from_the_news_is_escaped(tmp_path):
    from casualties.model.frames import pd
    from casualties.reporting.brief_notes import Notes

    figures = pd.DataFrame(
        [
            {
                "id": "f1",
                "source_id": "s",
                "publication_ids": "p1",
                "quote": '<img src=x onerror="1">',
            }
        ]
    )
    sources = pd.DataFrame([{"id": "s", "name": "A & B"}])
    publications = pd.DataFrame(
        [
            {
                "id": "p1",
                "publisher": "<b>",
                "title": "",
                "published_on": "2024-12-01",
                "url": 'https://example.org/a?b=1&c="2"',
            }
        ]
    )
    notes = Notes(figures, sources, publications)
    notes.mark("f1")
    html = notes.html()
    assert "<img" not in html and "&lt;img src=x onerror=&quot;1&quot;&gt;" in html
    assert "A &amp; B" in html and "&lt;b&gt;" in html
    assert (
        '<a href="https://example.org/a?b=1&amp;c=&quot;2&quot;">&lt;b&gt;, 2024-12-01</a>' in html
    )
    publications.loc[0, "url"] = "javascript:alert(1)"
    notes = Notes(figures, sources, publications)
    notes.mark("f1")
    assert "javascript" not in notes.html()


def test_chromium_loads_every_image_and_prints_the_example_on_two_pages(example_pack, tmp_path):
    browser = chromium(tmp_path)
    page = (example_pack / "brief.html").read_text(encoding="utf-8")
    probed = tmp_path / "probed.html"
    probed.write_text(page.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    dumped = subprocess.run(
        [*browser, "--virtual-time-budget=10000", "--dump-dom", probed.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
    )
    found = re.search(r'<pre id="probe">(.*?)</pre>', dumped.stdout)
    assert found, dumped.stderr[-2000:]
    probe = json.loads(found.group(1))
    assert probe == {"images": page.count("<img"), "broken": 0, "failures": []}

    pdf = tmp_path / "brief.pdf"
    printed = subprocess.run(
        [
            *browser,
            f"--print-to-pdf={pdf}",
            "--no-pdf-header-footer",
            (example_pack / "brief.html").as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert pdf.exists() and pdf.stat().st_size > 0, printed.stderr[-2000:]
    assert 1 <= pdf_pages(pdf.read_bytes()) <= 2


def pdf_pages(pdf: bytes) -> int:
    """The pages of a PDF as Chromium writes it: its /Type /Page objects (not /Pages)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


def summary_row(**given) -> dict:
    row = {
        "metric": "killed",
        "population_group": "civilians",
        "unit": "people",
        "basis": "cumulative",
        "anchor": "2024-11-25",
        "period_end": "2024-12-06",
        "week_change": "",
        "change_ids": "",
        "revision_ids": "",
        "flags": "",
        "depth": 0,
        "sources": 1,
    }
    return {**row, **given}


def test_a_key_figure_is_the_range_across_sources_and_never_a_stale_or_aside_one(tmp_path):
    from casualties.model.frames import pd
    from casualties.reporting.brief import key_figures_html
    from casualties.reporting.brief_notes import Notes

    summary = pd.DataFrame(
        [
            summary_row(
                source_id="a", latest="111", ids="a1", week_change="+11", change_ids="a0;a1"
            ),
            summary_row(source_id="b", latest="150", ids="b1"),
            summary_row(source_id="all sources (2)", latest="111–150", ids="a1;b1", sources=2),
            summary_row(metric="injured", source_id="c", latest="9", ids="c1", flags="stale: x"),
            summary_row(metric="missing", source_id="d", latest="4", ids="d1", flags="not counted"),
        ]
    )
    empty = pd.DataFrame(columns=["id", "source_id", "publication_ids", "quote"])
    notes = Notes(empty, pd.DataFrame(columns=["id", "name"]), pd.DataFrame(columns=["id"]))
    html = key_figures_html(summary, notes)
    assert html.count('class="key"') == 1
    assert '<p class="big">111–150<sup>' in html and "range across 2 sources" in html
    assert "a, running total since 2024-11-25" in html and "+11" in html
    assert list(notes.numbers) == ["a1", "b1", "a0"]
