"""Random cells, encodings and layouts to `import --dry-run`: a clean result or a located
error, never a traceback (issue 13)."""

import csv
import io
import re

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casualties.cli.app import cli
from tests.conftest import store_digest
from tests.test_import_exact import figure_row

COLUMNS = list(figure_row())
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "cp1252", "cp1256"]
CELLS = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["2,5", "1e400", "inf", "=1/0", "'=x", '"', "9" * 25, "-0", "#N/A", " "]),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)
# A located error: file, then the table or sheet, the row and the column; or the file's line.
LOCATED = re.compile(r"Error: [^:\n]+\.(csv|json):(\w+:row \d+|\w+:-|\s*line \d+|\s)")


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:
    path = str(tmp_path_factory.mktemp("property") / "store.db")
    CliRunner().invoke(cli, ["--db", path, "init", "--example"], catch_exceptions=False)
    return path


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    changes=st.dictionaries(st.sampled_from(COLUMNS), CELLS, max_size=4),
    encoding=st.sampled_from(ENCODINGS),
    separator=st.sampled_from([",", ";", "\t"]),
    dropped=st.lists(st.sampled_from(COLUMNS), max_size=2),
    as_json=st.booleans(),
)
def test_any_file_imports_cleanly_or_says_where_it_is_wrong(
    db, tmp_path_factory, changes, encoding, separator, dropped, as_json
):
    row = {k: v for k, v in figure_row(**changes).items() if k not in dropped}
    folder = tmp_path_factory.mktemp("case")
    if as_json:
        import json

        path = folder / "random.json"
        path.write_text(json.dumps([row]), encoding="utf-8")
    else:
        out = io.StringIO()
        writer = csv.writer(out, delimiter=separator, lineterminator="\r\n")
        writer.writerows([list(row), list(row.values())])
        path = folder / "random.csv"
        try:
            path.write_bytes(out.getvalue().encode(encoding))
        except UnicodeEncodeError:
            path.write_bytes(out.getvalue().encode("utf-8"))
    before = store_digest(db)
    result = CliRunner().invoke(
        cli, ["--db", db, "import", str(path), "--dry-run"], catch_exceptions=False
    )
    assert result.exit_code in (0, 1), result.output
    if result.exit_code == 1:
        assert "random." in result.output, result.output
    assert store_digest(db) == before
