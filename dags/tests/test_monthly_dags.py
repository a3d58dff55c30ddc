"""`airflow dags test` of the monthly DAGs (23rd: schools; 25th: townships, county, 简报) for
September 2025, over a copy of the shared sample's warehouse."""

from __future__ import annotations

import re
import zipfile

import duckdb
import pytest

from conftest import Airflow, copy_tree, task_states


@pytest.fixture(scope="module")
def monthly(airflow_home, sample_warehouse, tmp_path_factory):
    base = tmp_path_factory.mktemp("monthly")
    wh = copy_tree(sample_warehouse, base / "wh")
    return Airflow(airflow_home, {"baoxue_warehouse": wh, "baoxue_outputs": base / "out"}), base


def cells(xlsx) -> list[str]:
    """Every cell value of every sheet (numbers and shared strings) of an XLSX file."""
    with zipfile.ZipFile(xlsx) as z:
        shared = re.findall(r"<t[^>]*>([^<]*)</t>", z.read("xl/sharedStrings.xml").decode()) if "xl/sharedStrings.xml" in z.namelist() else []
        out = []
        for name in z.namelist():
            if name.startswith("xl/worksheets/sheet"):
                xml = z.read(name).decode()
                for attrs, v in re.findall(r"<c ([^>]*)>(?:<f>[^<]*</f>)?<v>([^<]*)</v>", xml):
                    out.append(shared[int(v)] if 't="s"' in attrs else v)
                out += re.findall(r"<is><t[^>]*>([^<]*)</t></is>", xml)
        return out


def test_schools_on_the_23rd(monthly):
    af, base = monthly
    rc, out, _ = af.dags_test("baoxue_monthly_schools", "2025-09-23")
    assert rc == 0, out[-5000:]
    assert task_states(out) == {"school_reports": "success"}
    x = base / "out" / "monthly" / "2025-09" / "控辍保学月报_学校_2025-09.xlsx"
    assert x.exists()
    assert "新庄中学" in cells(x)


def test_townships_county_and_brief_on_the_25th(monthly):
    af, base = monthly
    rc, out, _ = af.dags_test("baoxue_monthly_county", "2025-09-25")
    assert rc == 0, out[-5000:]
    assert task_states(out) == {"township_reports": "success", "county_report": "success", "brief": "success"}
    month = base / "out" / "monthly" / "2025-09"
    county = cells(month / "控辍保学月报_全县_2025-09.xlsx")
    assert (month / "控辍保学月报_乡镇_2025-09.xlsx").exists()
    # the county's September figures, as the analysts' view has them
    with duckdb.connect(str(base / "wh" / "baoxue.duckdb"), read_only=True) as con:
        base_n, dropouts = con.execute(
            "select sum(base_enrollment), sum(dropouts) from indicators where as_of = "
            "(select max(as_of) from indicators where as_of < date '2025-10-01') and group_name = 'all'"
        ).fetchone()
    assert (base_n, dropouts) == (11, 1)
    head = county.index("范围")
    row = county.index("全县", head)
    header = county[head:row]
    form = dict(zip(header, county[row : row + len(header)]))
    assert float(form["月末在籍"]) == base_n and float(form["新增辍学"]) == dropouts, form
    brief = base / "out" / "brief" / "2025-09"
    html = (brief / "控辍保学简报_2025-09.html").read_text("utf-8")
    assert "第 1 期" in html and "9.1%" in html
    assert (brief / "控辍保学简报_2025-09.pdf").read_bytes()[:5] == b"%PDF-"


def test_rerunning_the_month_gives_the_same_report(monthly):
    af, base = monthly
    html = base / "out" / "brief" / "2025-09" / "控辍保学简报_2025-09.html"
    before = html.read_bytes()
    rc, out, _ = af.dags_test("baoxue_monthly_county", "2025-09-25", log_name="baoxue_monthly_county_again")
    assert rc == 0, out[-5000:]
    assert html.read_bytes() == before
