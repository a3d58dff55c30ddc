package baoxue.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import baoxue.analyst.AnalystDb;
import baoxue.publications.Views;
import baoxue.testing.SampleWarehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * 季查 over the shared sample: commit, draw as of 2025-10-17, the pack, verification (and how it
 * fails), the fairness of the draw, and the 2025-10-16 inspection fed back. Each test works on its
 * own copy of the sample warehouse (the draw writes into it).
 */
class InspectTest {
  static final Quarter Q4 = Quarter.parse("2025Q4");
  static final LocalDate D = LocalDate.parse("2025-10-17");

  static Path copy() throws Exception {
    Path dst = Files.createTempDirectory("inspect").resolve("wh");
    org.apache.commons.io.FileUtils.copyDirectory(SampleWarehouse.root().toFile(), dst.toFile());
    AnalystDb.rebuild(dst); // the copy's views read the copy's Parquet
    return dst;
  }

  static RiskFrame.Frame frame(Path wh, LocalDate d, Quarter q) throws Exception {
    try (Views v = Views.open(wh)) {
      return RiskFrame.compute(v, d, q, InspectionRules.defaults());
    }
  }

  static Path wh;
  static RiskFrame.Frame frame;

  @BeforeAll
  static void setUp() throws Exception {
    wh = copy();
    frame = frame(wh, D, Q4);
  }

  @Test
  void theFindingsTemplateNeutralisesAFormulaLookingClassLabel() throws Exception {
    // a class label is school-supplied text (up to 20 characters, any of them): it reaches the CSV as text
    Draw.DrawnClass c = new Draw.DrawnClass(7, "=HYPERLINK(\"x\",1)", 40, 1, 1, List.of());
    Draw.DrawnSchool s = new Draw.DrawnSchool("3412220001", "新庄中学", "新庄镇", 1, 1, List.of(), List.of(c));
    Draw.Result r = new Draw.Result(Q4, D, D, 1, 1, "c", "f", "r", List.of(s), null);
    Path f = Pack.template(r, s, Files.createTempDirectory("tpl").resolve("t.csv"));
    String row = Files.readAllLines(f).get(1);
    assertEquals("\"JC2025Q4-3412220001-7-=HYPERLINK(\"\"x\"\",1)\",2025-10-17,3412220001,7,\"'=HYPERLINK(\"\"x\"\",1)\",,,,,,", row);
  }

  @Test
  void theRiskFrameOfTheSampleSaysWhy() {
    Map<String, RiskFrame.School> s = new LinkedHashMap<>();
    frame.schools().forEach(x -> s.put(x.code(), x));
    assertEquals(3, s.size());
    RiskFrame.School xz = s.get("3412220001");
    List<String> keys = xz.signals().stream().map(RiskFrame.Signal::key).toList();
    assertTrue(keys.containsAll(List.of("over_target", "suspected", "ghosts", "overdue")), keys.toString());
    assertTrue(xz.signals().stream().anyMatch(g -> g.why().equals("空挂学籍疑似 2 人")), "S3 and S9");
    assertTrue(xz.signals().stream().anyMatch(g -> g.why().equals("疑似辍学 1 人")), "S7");
    assertTrue(xz.weight() > s.get("3412220002").weight() && s.get("3412220002").weight() > s.get("3412220003").weight(), frame.schools().toString());
    assertEquals(1.0, s.get("3412220003").weight(), "杜集小学 has no signal and keeps the base weight");
    assertFalse(keys.contains("discrepancy"), "the 10-16 inspection is in this quarter: it counts from the next one");
    RiskFrame.Clazz nine2 = frame.classes().stream().filter(c -> c.school().equals("3412220001") && c.grade() == 9 && c.clazz().equals("2")).findFirst().orElseThrow();
    assertEquals(1, nine2.size(), "S9");
    assertTrue(nine2.weight() > 1, "S9 is on the watchlist");
  }

  @Test
  void theDrawIsDeterministicAndGoesWhereTheRiskIs() throws Exception {
    byte[] seed = HexFormat.of().parseHex("00".repeat(31) + "01");
    Draw.Result a = Draw.select(seed, Q4, frame, 1, 2, "c");
    Draw.Result b = Draw.select(seed, Q4, frame(wh, D, Q4), 1, 2, "c");
    assertEquals(a.drawn(), b.drawn(), "same seed and data, same sample");
    Map<String, Double> p = Draw.chances(Map.of("3412220001", frame.schools().get(0).weight(), "3412220002", frame.schools().get(1).weight(),
        "3412220003", frame.schools().get(2).weight()), 1);
    assertTrue(p.get("3412220001") > 0.6, "新庄中学 is drawn with high probability: " + p);
    int xz = 0;
    for (int i = 0; i < 200; i++) {
      byte[] s = new byte[32];
      s[31] = (byte) i;
      s[30] = (byte) (i >> 8);
      if (Draw.select(s, Q4, frame, 1, 2, "c").drawn().get(0).code().equals("3412220001")) {
        xz++;
      }
    }
    assertTrue(xz > 120, "新庄中学 drawn " + xz + " times of 200");
  }

  @Test
  void overManySeedsEverySchoolIsDrawnAndFrequencyRisesWithRisk() {
    // a synthetic county of 30 schools, weights 1 to 10 (three of each), 3 schools a draw, 3000 fixed seeds
    List<RiskFrame.School> schools = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      schools.add(new RiskFrame.School(String.format("S%02d", i), "学校" + i, "镇", 1 + i / 3, List.of()));
    }
    RiskFrame.Frame f = new RiskFrame.Frame(D, D, "t", schools, List.of());
    Map<String, Integer> n = new LinkedHashMap<>();
    schools.forEach(s -> n.put(s.code(), 0));
    int seeds = 3000;
    for (int i = 0; i < seeds; i++) {
      byte[] seed = new byte[32];
      seed[0] = 7;
      seed[30] = (byte) (i >> 8);
      seed[31] = (byte) i;
      Draw.select(seed, Q4, f, 3, 1, "c").drawn().forEach(d -> n.merge(d.code(), 1, Integer::sum));
    }
    n.forEach((code, c) -> assertTrue(c > 0, code + " was never drawn"));
    // mean frequency per weight level rises with the weight
    double[] byWeight = new double[11];
    schools.forEach(s -> byWeight[(int) s.weight()] += n.get(s.code()) / 3.0);
    for (int w = 2; w <= 10; w++) {
      assertTrue(byWeight[w] > byWeight[w - 1], "weight " + w + ": " + byWeight[w] + " not above weight " + (w - 1) + ": " + byWeight[w - 1]);
    }
    // and every school's frequency is within 4 standard deviations of its estimated chance
    Map<String, Double> weights = new LinkedHashMap<>();
    schools.forEach(s -> weights.put(s.code(), s.weight()));
    Map<String, Double> p = Draw.chances(weights, 3);
    for (RiskFrame.School s : schools) {
      double pi = p.get(s.code());
      double sd = Math.sqrt(seeds * pi * (1 - pi));
      assertTrue(Math.abs(n.get(s.code()) - seeds * pi) < 4 * sd + 30, s.code() + ": " + n.get(s.code()) + " vs " + seeds * pi);
    }
  }

  @Test
  void commitDrawPackVerify() throws Exception {
    Path w = copy();
    String c = Draw.commit(w, Q4);
    assertEquals(64, c.length());
    Path seedFile = Draw.seedFile(w, Q4);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(seedFile)));
    assertTrue(Files.readString(Draw.commitmentFile(w, Q4)).contains(c));
    IllegalStateException again = assertThrows(IllegalStateException.class, () -> Draw.commit(w, Q4));
    assertTrue(again.getMessage().contains("不能重新生成种子"), again.getMessage());
    String seed = Files.readString(seedFile).strip();

    Draw.Result r = Draw.draw(w, Q4, D, 3, 2, InspectionRules.defaults());
    assertEquals(3, r.drawn().size(), "all three schools");
    String record = Files.readString(Draw.recordFile(w, Q4, D));
    assertFalse(record.contains(seed), "the record does not hold the seed");
    Draw.draw(w, Q4, D, 3, 2, InspectionRules.defaults());
    assertEquals(record, Files.readString(Draw.recordFile(w, Q4, D)), "drawing again gives the same record");

    // the pack of 新庄中学 names S9 and S3 as ghost suspects and S7 as suspected dropout
    Path out = Files.createTempDirectory("packs");
    List<Path> files = Pack.write(w, r, out);
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(files.get(0).getParent())), "packs are owner-only");
    Path pdf = files.stream().filter(p -> p.getFileName().toString().equals("3412220001_新庄中学_季查检查材料.pdf")).findFirst().orElseThrow();
    String t;
    try (PDDocument d = Loader.loadPDF(pdf.toFile())) {
      t = new PDFTextStripper().getText(d).replaceAll("\\s+", "");
    }
    String watch = t.substring(t.indexOf("三、全校名单上的学生"), t.indexOf("四、未结的两天规则预警"));
    assertTrue(watch.contains("吴刚9年级2班空挂学籍疑似"), watch);
    assertTrue(watch.contains("王芳7年级") && watch.matches(".*王芳7年级\\S{1,3}班空挂学籍疑似.*"), watch);
    assertTrue(watch.matches(".*周杰9年级\\S{1,3}班疑似辍学.*"), watch);
    assertTrue(t.matches(".*341322\\*{8}[0-9X]{4}.*"), "ID numbers are masked in the register");
    assertFalse(t.matches(".*\\d{17}[0-9X].*"), "no whole ID number");
    assertFalse(t.contains("G341322201011111174"), "no student number");
    assertTrue(t.contains("学生的作业、点名册、坐次表、学籍表一致性材料"), "the 18 archive items");
    Path csv = files.stream().filter(p -> p.getFileName().toString().equals("inspections_2025Q4_3412220001.csv")).findFirst().orElseThrow();
    assertTrue(Files.readString(csv).startsWith("\uFEFF检查编号,检查日期,学校标识码,年级,班级,在册人数,实到人数,请假人数,未见学籍号,检查人,发现问题"));

    // verification
    Draw.Verdict ok = Draw.verify(w, Q4, seed, null, InspectionRules.defaults());
    assertTrue(ok.ok(), ok.lines().toString());
    String other = (seed.charAt(0) == '0' ? "1" : "0") + seed.substring(1);
    Draw.Verdict bad = Draw.verify(w, Q4, other, null, InspectionRules.defaults());
    assertFalse(bad.ok());
    assertTrue(bad.lines().get(0).startsWith("种子与 2025Q4 公布的承诺不符"), bad.lines().toString());
    Draw.Verdict date = Draw.verify(w, Q4, seed, LocalDate.parse("2025-10-16"), InspectionRules.defaults());
    assertFalse(date.ok());
    assertTrue(date.lines().get(1).contains("没有截至 2025-10-16 的抽签记录；已有的记录：2025-10-17"), date.lines().toString());

    // a tampered record
    Path rec = Draw.recordFile(w, Q4, D);
    String original = Files.readString(rec);
    Files.writeString(rec, original.replaceFirst("\"class\" : \"(\\w+)\"", "\"class\" : \"99\""));
    Draw.Verdict forged = Draw.verify(w, Q4, seed, D, InspectionRules.defaults());
    assertFalse(forged.ok());
    assertTrue(forged.lines().get(1).contains("记录被改动过"), forged.lines().toString());
    Files.writeString(rec, original);

    // a tampered warehouse: one watchlist row of 2025-10-17 removed
    Path part = w.resolve("marts/watchlist/as_of=2025-10-17");
    Path file;
    try (Stream<Path> s = Files.list(part)) {
      file = s.filter(p -> p.toString().endsWith(".parquet")).sorted(Comparator.comparingLong(p -> -p.toFile().length())).findFirst().orElseThrow();
    }
    Path tmp = file.resolveSibling("rewritten.parquet.tmp");
    try (Connection cn = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = cn.createStatement()) {
      st.execute("COPY (SELECT * FROM read_parquet('" + file + "') WHERE kind <> 'ghost' OR grade <> 9) TO '" + tmp + "' (FORMAT parquet)");
    }
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    // verify reads the analyst database, whose views read the snapshot of the last build: the
    // tampered file is what it shows once the database is rebuilt (as every run does)
    AnalystDb.rebuild(w);
    Draw.Verdict tampered = Draw.verify(w, Q4, seed, null, InspectionRules.defaults());
    assertFalse(tampered.ok());
    assertTrue(tampered.lines().get(1).contains("仓库截至 2025-10-17 的数据与抽签时不同"), tampered.lines().toString());
    assertTrue(tampered.lines().get(1).contains("3412220001 的权重"), tampered.lines().toString());
  }

  @Test
  void drawingNeedsACommitmentAndADateInTheQuarter() throws Exception {
    Path w = copy();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Draw.draw(w, Q4, D, 1, 1, InspectionRules.defaults()));
    assertTrue(e.getMessage().contains("还没有种子"), e.getMessage());
    Draw.commit(w, Q4);
    e = assertThrows(IllegalArgumentException.class, () -> Draw.draw(w, Q4, LocalDate.parse("2025-09-30"), 1, 1, InspectionRules.defaults()));
    assertTrue(e.getMessage().contains("不在 2025Q4"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Quarter.parse("2025Q5"));
  }

  @Test
  void theInspectionOf1016IsFedBack() throws Exception {
    try (Views v = Views.open(wh)) {
      // S9, named by the 10-16 inspection, is a ghost suspect by inspection from that day
      Map<String, Object> s9 = v.one("SELECT reason FROM watchlist WHERE as_of = DATE '2025-10-16' AND student_key = ? AND kind = 'ghost' AND reason LIKE '%季查%'",
          SampleWarehouse.key("G341322201011111174"));
      assertFalse(s9.isEmpty(), "S9 is a ghost suspect by inspection");
      Map<String, Object> f = v.one("SELECT * FROM inspection_findings WHERE inspection_id = 'JC2025Q4-01'");
      assertEquals(1L, f.get("on_register"));
      assertEquals(1L, f.get("system_register"));
      assertEquals(0L, f.get("present"));
      assertEquals(1L, f.get("unseen"));
      assertEquals(1.0, (Double) f.get("discrepancy_rate"), 1e-9);
    }
    // the discrepancy goes into the next quarter's frame
    RiskFrame.Frame next = frame(wh, D, Quarter.parse("2026Q1"));
    RiskFrame.School xz = next.schools().stream().filter(s -> s.code().equals("3412220001")).findFirst().orElseThrow();
    RiskFrame.Signal d = xz.signals().stream().filter(g -> g.key().equals("discrepancy")).findFirst().orElseThrow();
    assertEquals(6.0, d.points(), "a 100 % discrepancy rate is capped at 6 points");
    assertTrue(d.why().contains("季查差异率 100.0%"), d.why());
    assertNotEquals(frame.digest(), next.digest());
  }
}
