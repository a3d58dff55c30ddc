package baoxue.analyst;

import static org.junit.jupiter.api.Assertions.*;

import baoxue.testing.SampleWarehouse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The analysts' DuckDB over the sample warehouse: the spec's views, comments, no personal data, other clients. */
class AnalystDbTest {
  /** indicators.md "Analyst interface": view → the columns it must have. */
  static final String[][] SPEC = {
    {"dim_school", "school_code, school_name, township, stage"},
    {"dim_student", "student_key, school_code, grade, class, gender, birth_year, poverty, disabled, disabled_parent, left_behind, migrant, hukou_outside, status"},
    {"fact_attendance", "student_key, school_code, date, status, status_cn"},
    {"alerts", "as_of, student_key, school_code, grade, streak_start, opened_on, due_on, resolution, closed_on, overdue, home_visits, leader_visit, report_filed, compliant"},
    {"indicators", "as_of, school_year, school_code, township, grade, group_name, base_enrollment, dropouts, returned, suspected_dropouts, attrition_rate, target_rate, over_target, chronic_absent, open_alerts, overdue_alerts"},
    {"watchlist", "as_of, student_key, school_code, grade, kind, reason"},
    {"completeness", "school_code, date, expected, reported, completeness"},
    {"quarantine", "delivery_date, file, line, kind, reason"},
  };

  static Set<String> columns(Path wh, String view) throws Exception {
    Set<String> out = new TreeSet<>();
    for (List<Object> r : SqlRunner.query(wh, "SELECT column_name FROM duckdb_columns() WHERE table_name = '" + view + "'").rows()) {
      out.add((String) r.get(0));
    }
    return out;
  }

  @Test
  void everySpecViewHasEverySpecColumn() throws Exception {
    Path wh = SampleWarehouse.root();
    for (String[] v : SPEC) {
      Set<String> have = columns(wh, v[0]);
      for (String c : v[1].split(", ")) {
        assertTrue(have.contains(c), v[0] + " lacks " + c + " (has " + have + ")");
      }
    }
  }

  @Test
  void everyViewAndColumnHasAChineseComment() throws Exception {
    Path wh = SampleWarehouse.root();
    List<List<Object>> views = SqlRunner.listViews(wh).rows();
    assertTrue(views.size() >= 15, views.toString());
    Pattern han = Pattern.compile("\\p{IsHan}");
    for (List<Object> v : views) {
      assertTrue(v.get(1) != null && han.matcher((String) v.get(1)).find(), "view " + v.get(0) + " comment: " + v.get(1));
    }
    List<List<Object>> cols =
        SqlRunner.query(wh, "SELECT table_name, column_name, comment FROM duckdb_columns() WHERE NOT internal AND schema_name = 'main'").rows();
    for (List<Object> c : cols) {
      assertTrue(c.get(2) != null && han.matcher((String) c.get(2)).find(), c.get(0) + "." + c.get(1) + " comment: " + c.get(2));
    }
  }

  @Test
  void noViewHasANameIdNumberStudentNumberGuardianOrPhoneColumn() throws Exception {
    Path wh = SampleWarehouse.root();
    Set<String> forbidden = Set.of("name", "student_no", "id_number", "birth_date", "guardian_name", "guardian_phone", "note", "narrative", "reason_text");
    for (List<Object> c : SqlRunner.query(wh, "SELECT table_name, column_name FROM duckdb_columns() WHERE NOT internal AND schema_name = 'main'").rows()) {
      assertFalse(forbidden.contains((String) c.get(1)), c.toString());
    }
  }

  @Test
  void theDatabaseContainsNoNameOrIdNumberFromTheSample() throws Exception {
    Path wh = SampleWarehouse.root();
    String db = new String(Files.readAllBytes(wh.resolve(AnalystDb.FILE)), StandardCharsets.ISO_8859_1);
    byte[] utf = Files.readAllBytes(wh.resolve(AnalystDb.FILE));
    String text = new String(utf, StandardCharsets.UTF_8);
    for (String s : List.of("张小明", "李华", "王芳", "G341322201105141016", "341322201105141016")) {
      assertFalse(text.contains(s) || db.contains(s), s);
    }
    // and every text value reachable through the views
    StringBuilder all = new StringBuilder();
    for (List<Object> v : SqlRunner.listViews(wh).rows()) {
      for (List<Object> r : SqlRunner.query(wh, "SELECT * FROM " + v.get(0)).rows()) {
        all.append(r).append('\n');
      }
    }
    for (String s : List.of("张小明", "李华", "王芳", "赵强", "周杰", "G34132220", "34132220")) {
      assertFalse(all.toString().contains(s), s);
    }
  }

  @Test
  void thePythonDuckdbClientReturnsTheSameRowsAsBaoxueSql() throws Exception {
    Path wh = SampleWarehouse.root();
    String python = System.getProperty("baoxue.python", ".venv/bin/python");
    assertTrue(Files.isExecutable(Paths.get(python)), "the test venv's Python is needed at " + python + " (./baoxue test creates it)");
    String sql =
        "SELECT as_of, student_key, school_code, grade, streak_start, opened_on, due_on, resolution, closed_on, overdue, home_visits,"
            + " leader_visit, report_filed, compliant FROM alerts ORDER BY as_of, student_key, streak_start";
    String ours = SqlRunner.format(SqlRunner.query(wh, sql), "json");
    Path script = Files.createTempFile("duck", ".py");
    Files.writeString(
        script,
        String.join(
            "\n",
            "import duckdb, json, sys",
            "c = duckdb.connect(sys.argv[1], read_only=True)",
            "cur = c.execute(sys.argv[2])",
            "cols = [d[0] for d in cur.description]",
            "print(json.dumps([{k: (str(v) if v is not None and not isinstance(v, (int, float, bool)) else v) for k, v in zip(cols, r)} for r in cur.fetchall()]))",
            "print(duckdb.__version__, file=sys.stderr)"));
    Process p = new ProcessBuilder(python, script.toString(), wh.resolve(AnalystDb.FILE).toString(), sql).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), err);
    ObjectMapper m = new ObjectMapper();
    JsonNode a = m.readTree(ours);
    JsonNode b = m.readTree(out);
    assertTrue(a.size() > 0);
    assertEquals(a, b, "python duckdb " + err.trim());
  }

  @Test
  void theSqlCommandFormatsTablesCsvAndJson() throws Exception {
    Path wh = SampleWarehouse.root();
    SqlRunner.Result r = SqlRunner.query(wh, "SELECT school_code, school_name FROM dim_school ORDER BY 1");
    String table = SqlRunner.format(r, "table");
    assertTrue(table.contains("新庄中学") && table.contains("（3 行）"), table);
    String csv = SqlRunner.format(r, "csv");
    assertTrue(csv.startsWith("school_code,school_name\r\n3412220001,新庄中学\r\n"), csv);
    assertEquals(3, new ObjectMapper().readTree(SqlRunner.format(r, "json")).size());
    assertEquals("'=HYPERLINK(\"x\")", CellSafety.neutralise("=HYPERLINK(\"x\")"));
    assertEquals("'+1", CellSafety.neutralise("+1"));
    assertEquals("张三", CellSafety.neutralise("张三"));
  }

  @Test
  void aRebuildReplacesTheFileAtomicallyAndLeavesNoTemporaryFile() throws Exception {
    Path wh = Files.createTempDirectory("adb");
    Path db = AnalystDb.rebuild(wh); // an empty warehouse: every view exists, typed, with no rows
    assertEquals(0L, ((Number) SqlRunner.query(wh, "SELECT count(*) FROM alerts").rows().get(0).get(0)).longValue());
    try (var c = SqlRunner.open(wh)) { // a reader holding the old file keeps reading it through a rebuild
      AnalystDb.rebuild(wh);
      try (var s = c.createStatement(); var rs = s.executeQuery("SELECT count(*) FROM indicators")) {
        assertTrue(rs.next());
      }
    }
    List<String> left = new ArrayList<>();
    try (var s = Files.list(wh)) {
      s.forEach(p -> left.add(p.getFileName().toString()));
    }
    left.sort(null);
    assertEquals(List.of(AnalystDb.SNAPSHOTS, AnalystDb.FILE), left);
    assertTrue(Files.size(db) > 0);
    AnalystDb.rebuild(wh);
    try (var s = Files.list(wh.resolve(AnalystDb.SNAPSHOTS))) {
      assertEquals(2, s.count(), "the current database's snapshot and the previous one's");
    }
  }

  @Test
  void aReaderKeepsSeeingThePublishedMartsWhileTheyChangeUnderneath() throws Exception {
    Path wh = Files.createTempDirectory("adb").resolve("wh");
    org.apache.commons.io.FileUtils.copyDirectory(SampleWarehouse.root().toFile(), wh.toFile());
    AnalystDb.rebuild(wh);
    String q = "SELECT (SELECT count(*) FROM indicators), (SELECT max(as_of) FROM indicators), (SELECT count(*) FROM alerts)";
    List<List<Object>> before = SqlRunner.query(wh, q).rows();
    // what a run's commit does to the live marts before the next database is published:
    // a partition moved aside, a new one swapped in
    Path indicators = wh.resolve(baoxue.schema.Schemas.table("marts.indicators").path());
    List<Path> parts;
    try (var s = Files.list(indicators)) {
      parts = s.filter(Files::isDirectory).sorted().toList();
    }
    org.apache.commons.io.FileUtils.copyDirectory(parts.get(0).toFile(), indicators.resolve("as_of=2099-01-01").toFile());
    org.apache.commons.io.FileUtils.deleteDirectory(parts.get(parts.size() - 1).toFile());
    assertEquals(before, SqlRunner.query(wh, q).rows(), "a new connection to the published database sees the published marts");
    AnalystDb.rebuild(wh);
    assertNotEquals(before, SqlRunner.query(wh, q).rows(), "the next database sees the new marts");
  }

  @Test
  void theTenDocumentedQuestionsRun() throws Exception {
    Path wh = SampleWarehouse.root();
    String doc = Files.readString(Paths.get(System.getProperty("baoxue.docs", "../docs")).resolve("analysts.md"));
    Matcher m = Pattern.compile("```sql\\n(.*?)```", Pattern.DOTALL).matcher(doc);
    List<String> queries = new ArrayList<>();
    while (m.find()) {
      queries.add(m.group(1));
    }
    assertEquals(10, queries.size());
    for (int i = 0; i < queries.size(); i++) {
      SqlRunner.Result r = SqlRunner.query(wh, queries.get(i));
      assertFalse(r.columns().isEmpty(), "question " + (i + 1));
    }
    // question 1 on the sample: 新庄中学 grades 7 and 9 are over target
    List<List<Object>> q1 = SqlRunner.query(wh, queries.get(0)).rows();
    assertEquals(2, q1.size(), q1.toString());
    assertEquals("新庄中学", q1.get(0).get(0));
  }
}
