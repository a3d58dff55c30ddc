package baoxue.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import baoxue.analyst.AnalystDb;
import baoxue.analyst.SqlRunner;
import baoxue.schema.Schemas;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;

/**
 * No child's personal data outside the restricted zone (issue 8, item 2). A generated county runs
 * through everything an analyst or a reader of the publications gets — the nightly (Parquet
 * marts, ops tables, state), the analyst DuckDB (every view's rows), the monthly brief (PDF read
 * back as text, HTML), the monthly forms at the three levels (XLSX cells), the case collection,
 * and every log those runs wrote — and every one of them is searched for each child's name,
 * guardian's name, ID number, student number and phone from the input, and for anything shaped
 * like an ID number, student number or mobile number. One hit fails. The same search over the
 * restricted zone and the schools' named action lists must find them: the scanner can see.
 */
class PrivacyScanTest {
  // bounded by anything but letters, digits and a decimal point (a student_key is hex; a rate has long decimals)
  static final Pattern ID_LIKE = Pattern.compile("(?<![0-9A-Za-z.])\\d{17}[\\dXx](?![0-9A-Za-z])");
  static final Pattern STUDENT_NO_LIKE = Pattern.compile("(?<![0-9A-Za-z])[GLJ]\\d{17}[\\dX](?![0-9A-Za-z])");
  static final Pattern ALNUM = Pattern.compile("[0-9A-Za-z]{6,}");
  static final Pattern MOBILE_LIKE = Pattern.compile("(?<![0-9A-Za-z.])1[3-9]\\d{9}(?![0-9A-Za-z])");

  @Test
  void noPersonalValueFromTheInputInAnyOutputOutsideTheRestrictedZone() throws Exception {
    Night n = Night.get();
    Path wh = n.copyOfBase("privacy");
    Path logs = n.root.resolve("logs/privacy");
    Path reports = n.root.resolve("privacy-reports");
    Path named = n.root.resolve("privacy-restricted-outputs");
    String w = wh.toString();
    n.runOk(logs.resolve("run.log"), n.runArgs(wh).toArray(String[]::new));
    n.runOk(logs.resolve("brief.log"), "brief", "--warehouse", w, "--month", "2025-09", "--out", reports.resolve("brief").toString());
    for (String level : List.of("school", "township", "county")) {
      n.runOk(logs.resolve("monthly-" + level + ".log"), "monthly-report", "--warehouse", w, "--month", "2025-09", "--level", level,
          "--out", reports.resolve("monthly").toString());
    }
    n.runOk(logs.resolve("cases.log"), "cases", "--warehouse", w, "--term", "2025-2026-1", "--out", reports.resolve("cases").toString());
    n.runOk(logs.resolve("sql.log"), "sql", "--warehouse", w, "--format", "csv",
        "SELECT * FROM alerts WHERE as_of = DATE '" + Night.LAST + "'");
    n.runOk(logs.resolve("alerts.log"), "alerts", "--warehouse", w, "--date", Night.LAST.toString(), "--out", named.toString());

    long alerts = ((Number) SqlRunner.query(wh, "SELECT count(*) FROM alerts").rows().get(0).get(0)).longValue();
    assertTrue(alerts > 0, "the county has children to follow up, so the publications speak of them");
    Personal p = Personal.of(wh);
    assertTrue(p.names.size() > 1500 && p.numbers.size() > 1500, "the input's children: " + p.names.size() + " names, " + p.numbers.size() + " numbers");

    Map<String, Integer> scanned = new TreeMap<>();
    Map<String, List<String>> hits = new LinkedHashMap<>();
    try (Stream<Path> files = Files.walk(wh)) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        String rel = wh.relativize(f).toString();
        // _analyst/ holds hard links to the very files scanned under marts/ and core/
        if (rel.startsWith("restricted/") || rel.startsWith("_state/run.lock") || rel.startsWith("_analyst/")) {
          continue;
        }
        scan(rel, f, p, scanned, hits);
      }
    }
    for (Path dir : List.of(reports, logs, n.root.resolve("logs"))) {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
          scan(n.root.relativize(f).toString(), f, p, scanned, hits);
        }
      }
    }
    // the analyst's view of the database: every row of every view
    for (List<Object> v : SqlRunner.listViews(wh).rows()) {
      String view = String.valueOf(v.get(0));
      scanned.merge("duckdb view", 1, Integer::sum);
      check("baoxue.duckdb: " + view, rowsText(SqlRunner.query(wh, "SELECT * FROM " + view).rows()), p, hits);
    }
    assertEquals(Map.of(), hits, "personal data outside the restricted zone");
    for (String kind : List.of("parquet", "pdf", "html", "xlsx", "log", "duckdb view", "json")) {
      assertTrue(scanned.getOrDefault(kind, 0) > 0, "the scan covered " + kind + ": " + scanned);
    }
    assertTrue(scanned.get("duckdb view") >= 20 && scanned.get("xlsx") >= 3 && scanned.get("pdf") >= 2, scanned.toString());

    // the controls: the same scanner finds the children where they are meant to be
    Map<String, List<String>> inside = new LinkedHashMap<>();
    Map<String, Integer> counted = new TreeMap<>();
    try (Stream<Path> files = Stream.concat(Files.walk(wh.resolve("restricted")), Files.walk(named))) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        scan(f.toString(), f, p, counted, inside);
      }
    }
    assertTrue(inside.keySet().stream().anyMatch(k -> k.contains("staged_students")), "the restricted roster is found: " + inside.keySet());
    assertTrue(inside.keySet().stream().anyMatch(k -> k.endsWith(".xlsx")), "the named action lists are found: " + inside.keySet());
    System.out.println("privacy scan: " + scanned + "; " + p.names.size() + " names, " + p.numbers.size() + " numbers searched; "
        + p.staffNamesLeftOut + " names left out as also a staff member's");
  }

  @Test
  void aRunWithoutThePseudonymKeyRefusesBeforeReadingAnything() throws Exception {
    Night n = Night.get();
    Path wh = n.root.resolve("no-key");
    Path log = n.root.resolve("logs/no-key.log");
    ProcessBuilder pb = Night.child(log, List.of(), n.runArgs(wh));
    pb.environment().remove("BAOXUE_PSEUDONYM_KEY");
    Process proc = pb.start();
    assertTrue(proc.waitFor(5, java.util.concurrent.TimeUnit.MINUTES));
    assertEquals(2, proc.exitValue(), Night.tail(log));
    assertTrue(Files.readString(log).contains("错误：未设置环境变量 BAOXUE_PSEUDONYM_KEY：没有假名化密钥，拒绝运行。"), Night.tail(log));
    assertTrue(!Files.exists(wh), "nothing written");
  }

  /**
   * The input's personal values, read from the restricted copy of the rosters. A child's or
   * guardian's name that is also (part of) the name of a member of staff in the input (包保责任人,
   * 责任人, 检查人 — work roles, in the analyst zone by design) cannot be told apart and is left out.
   */
  record Personal(Set<String> names, Set<String> numbers, int staffNamesLeftOut) {
    static Personal of(Path wh) throws Exception {
      Set<String> names = new HashSet<>();
      Set<String> numbers = new HashSet<>();
      Set<String> staff = new HashSet<>();
      String dir = wh.resolve(Schemas.restrictedStaged("students").path()).toAbsolutePath().toString();
      try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
          Statement st = c.createStatement()) {
        for (String[] kc : new String[][] {{"schools", "responsible_officer"}, {"interventions", "responsible"}, {"inspections", "inspector"}}) {
          Path t = wh.resolve(Schemas.staged(kc[0]).path());
          if (Night.hasParquet(t)) {
            try (ResultSet rs = st.executeQuery("SELECT DISTINCT " + kc[1] + " FROM read_parquet('" + t.toAbsolutePath() + "/*/*.parquet')")) {
              while (rs.next()) {
                staff.add(String.valueOf(rs.getString(1)).strip());
              }
            }
          }
        }
      }
      try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT name, guardian_name, id_number, student_no, guardian_phone FROM read_parquet('"
              + dir + "/**/*.parquet')")) {
        while (rs.next()) {
          for (int i = 1; i <= 2; i++) {
            String v = rs.getString(i);
            if (v != null && v.strip().codePointCount(0, v.strip().length()) >= 2) {
              names.add(v.strip());
            }
          }
          for (int i = 3; i <= 5; i++) {
            String v = rs.getString(i);
            if (v != null && v.strip().length() >= 6) {
              numbers.add(v.strip());
            }
          }
        }
      }
      int before = names.size();
      names.removeIf(n -> staff.stream().anyMatch(x -> x.contains(n))); // 李英 inside 包保责任人 李英怡
      return new Personal(names, numbers, before - names.size());
    }
  }

  static void scan(String label, Path f, Personal p, Map<String, Integer> scanned, Map<String, List<String>> hits) throws Exception {
    String name = f.getFileName().toString();
    String kind;
    String text;
    if (name.endsWith(".parquet")) {
      kind = "parquet";
      try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT * FROM read_parquet('" + f.toAbsolutePath().toString().replace("'", "''") + "')")) {
        List<List<Object>> rows = new ArrayList<>();
        int cols = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          List<Object> r = new ArrayList<>();
          for (int i = 1; i <= cols; i++) {
            r.add(rs.getObject(i));
          }
          rows.add(r);
        }
        text = rowsText(rows);
      }
    } else if (name.endsWith(".pdf")) {
      kind = "pdf";
      try (PDDocument d = Loader.loadPDF(f.toFile())) {
        text = new PDFTextStripper().getText(d);
      }
    } else if (name.endsWith(".xlsx")) {
      kind = "xlsx";
      text = xlsxText(f);
    } else if (name.endsWith(".png") || name.endsWith(".crc")) {
      scanned.merge(name.endsWith(".png") ? "png (not read)" : "crc", 1, Integer::sum);
      return;
    } else {
      int dot = name.lastIndexOf('.');
      kind = name.equals(AnalystDb.FILE) ? "duckdb file" : dot < 0 ? "other" : name.substring(dot + 1);
      text = new String(Files.readAllBytes(f), StandardCharsets.UTF_8);
    }
    scanned.merge(kind, 1, Integer::sum);
    check(label, text, p, hits);
  }

  static void check(String label, String text, Personal p, Map<String, List<String>> hits) {
    List<String> found = new ArrayList<>();
    // numbers: every run of letters and digits, looked up whole
    Matcher run = ALNUM.matcher(text);
    while (run.find() && found.size() < 5) {
      if (p.numbers.contains(run.group())) {
        found.add("number " + run.group().substring(0, 2) + "…");
      }
    }
    // names: every 2 to 8 characters of the text without white space, looked up
    String flat = text.replaceAll("\\s+", "");
    for (int i = 0; i < flat.length() && found.size() < 5; i++) {
      if (Character.isLetter(flat.charAt(i)) && flat.charAt(i) > 0x2E80) {
        for (int len = 2; len <= 8 && i + len <= flat.length(); len++) {
          if (p.names.contains(flat.substring(i, i + len))) {
            found.add("name " + flat.charAt(i) + "…");
          }
        }
      }
    }
    for (Pattern pat : List.of(ID_LIKE, STUDENT_NO_LIKE, MOBILE_LIKE)) {
      Matcher m = pat.matcher(text);
      if (m.find()) {
        found.add("shaped like " + pat.pattern().substring(0, 12) + " at " + m.start());
      }
    }
    if (!found.isEmpty()) {
      hits.put(label, found.subList(0, Math.min(5, found.size())));
    }
  }

  static String rowsText(List<List<Object>> rows) {
    StringBuilder b = new StringBuilder();
    for (List<Object> r : rows) {
      for (Object o : r) {
        b.append(o).append('\t');
      }
      b.append('\n');
    }
    return b.toString();
  }

  static String xlsxText(Path f) throws Exception {
    StringBuilder b = new StringBuilder();
    try (InputStream in = Files.newInputStream(f);
        XSSFWorkbook wb = new XSSFWorkbook(in)) {
      for (Sheet sh : wb) {
        for (Row r : sh) {
          for (Cell c : r) {
            b.append(c.toString()).append('\t');
          }
          b.append('\n');
        }
      }
    }
    return b.toString();
  }
}
