package baoxue.publications;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import baoxue.testing.SampleWarehouse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.graphics.PDXObject;
import org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shared sample's September 2025 briefing and autumn-term case collection, read back the way
 * a reader would (PDFBox turns the PDF into text): the figures are those of the DuckDB views, the
 * stories are there (S1 returned after three visits, S2's dropout confirmed with the full
 * procedure, S7 overdue), and no name, ID number, student number, guardian or phone of the input
 * is anywhere in the PDF or the HTML.
 */
class PublicationsTest {
  static Path wh;
  static Path out;
  static String briefPdf;
  static String briefHtml;
  static String casesPdf;
  static String casesHtml;
  static List<Path> brief;
  static List<Path> cases;

  @BeforeAll
  static void build() throws Exception {
    wh = SampleWarehouse.root();
    out = Files.createTempDirectory("publications");
    brief = Brief.write(wh, YearMonth.of(2025, 9), out, "县控辍保学工作领导小组办公室", 3);
    cases = Cases.write(wh, "2025-2026-1", out, "县控辍保学工作领导小组办公室", Cases.Selection.defaults());
    briefPdf = pdfText(brief.get(0));
    briefHtml = Files.readString(brief.get(1));
    casesPdf = pdfText(cases.get(0));
    casesHtml = Files.readString(cases.get(1));
  }

  /** The PDF's text with all white space removed (lines wrap anywhere in Chinese). */
  static String pdfText(Path pdf) throws Exception {
    try (PDDocument d = Loader.loadPDF(pdf.toFile())) {
      return new PDFTextStripper().getText(d).replaceAll("\\s+", "");
    }
  }

  static String flat(String s) {
    return s.replaceAll("\\s+", "");
  }

  static Object view(String sql) throws Exception {
    Properties p = new Properties();
    p.setProperty("duckdb.read_only", "true");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + wh.resolve("baoxue.duckdb"), p);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getObject(1);
    }
  }

  static long count(String sql) throws Exception {
    return ((Number) view(sql)).longValue();
  }

  @Test
  void septemberBriefingTellsTheFiguresOfTheViews() throws Exception {
    String asOf = "DATE '2025-09-30'"; // the last delivery of September
    long base = count("SELECT sum(base_enrollment) FROM indicators WHERE as_of = " + asOf + " AND group_name = 'all'");
    long dropouts = count("SELECT sum(dropouts) FROM indicators WHERE as_of = " + asOf + " AND group_name = 'all'");
    long suspected = count("SELECT sum(suspected_dropouts) FROM indicators WHERE as_of = " + asOf + " AND group_name = 'all'");
    long opened = count("SELECT count(*) FROM alerts WHERE as_of = " + asOf + " AND opened_on BETWEEN DATE '2025-09-01' AND DATE '2025-09-30'");
    long open = count("SELECT count(*) FROM alerts WHERE as_of = " + asOf + " AND resolution = 'open'");
    long visits = count("SELECT count(*) FROM fact_interventions WHERE type IN ('home_visit', 'leader_visit') AND date BETWEEN DATE '2025-09-01' AND DATE '2025-09-30'");
    // the sample's stories, as its README tells them
    assertEquals(11, base);
    assertEquals(1, dropouts); // S2; S3 becomes one only in October (转出 pending 30 days)
    assertEquals(3, opened); // S1, S2, S7
    String t = briefPdf;
    assertTrue(t.contains("控辍保学简报"), t);
    assertTrue(t.contains("2025—2026学年第1期"), t);
    assertTrue(t.contains("数据截至2025年9月30日"), t);
    assertTrue(t.contains("学年初在读学生（基数）" + base + "人，本学年累计辍学" + dropouts + "人，流失率" + pct(dropouts, base)), t);
    assertTrue(t.contains("本月新增辍学1人（辍学异动1人）"), t);
    assertTrue(t.contains("目前疑似辍学" + suspected + "人"), t);
    assertTrue(t.contains("本月新触发“两天规则”预警" + opened + "条，结案2条（已返校1条，辍学1条）"), t);
    assertTrue(t.contains("仍有" + open + "条未结"), t);
    assertTrue(t.contains("本月各校登记家访" + visits + "次，其中校领导家访1次"), t);
    // the school over target and why: 新庄中学, grade 9, S2 went out to work
    assertTrue(t.contains("有1所学校的流失率超过控制目标：新庄中学"), t);
    assertTrue(t.contains("九年级基数3人、辍学1人（33.3%"), t);
    assertTrue(t.contains("辍学原因：外出务工1人"), t);
    // September is a 控辍月
    assertTrue(t.contains("“控辍月”专项"), t);
    assertFalse(t.contains("季查发现"), "no inspection in September");
    // every chart is there, with its Chinese text searchable in the PDF (drawn as vectors in the embedded font)
    for (int i = 1; i <= 8; i++) {
      assertTrue(t.contains("图" + i), "figure " + i);
    }
    assertTrue(t.contains("各校流失率与控制目标"), t);
    assertTrue(t.contains("第1页") && t.contains("第2页"), "page numbers");
    // the HTML page says the same
    for (String s : List.of("学年初在读学生（基数）" + base + "人", "有1所学校的流失率超过控制目标：新庄中学", "辍学原因：外出务工1人")) {
      assertTrue(flat(briefHtml).contains(s), s);
    }
  }

  @Test
  void octoberComparesWithTheEndOfSeptember() throws Exception {
    Path dir = Files.createTempDirectory("brief10");
    List<Path> f = Brief.write(wh, YearMonth.of(2025, 10), dir, "县控辍保学工作领导小组办公室", 3);
    String t = pdfText(f.get(0));
    // S3's pending transfer turns into a dropout on 10-04: 2 of 11, up 9.1 points on September
    assertTrue(t.contains("本学年累计辍学2人，流失率18.2%，较上月末（2025年9月30日）上升9.1个百分点"), t);
    assertTrue(t.contains("本月新增辍学1人（转出待审批满30天未落实1人）"), t);
    // S7's alert is past its 10-10 deadline
    assertTrue(t.contains("仍有1条未结，其中1条已超过15天期限"), t);
    assertTrue(t.contains("新庄中学新庄镇110"), "the overdue table counts S7's alert under 新庄中学: " + t);
    assertFalse(t.contains("“控辍月”专项"), "October is not a campaign month");
    // the 10-16 inspection: one class of 新庄中学, S9 unseen (register 1, system 1, present 0, leave 0, unseen 1, 100 %)
    assertTrue(t.contains("五、季查发现"), t);
    assertTrue(t.contains("点名未见、无法说明去向的学生共1人"), t);
    assertTrue(t.contains("新庄中学111001100.0%"), t);
  }

  @Test
  void caseCollectionTellsS1S2AndS7WithMaskedNames() {
    String t = casesPdf;
    assertTrue(t.contains("控辍典型案例集"), t);
    assertTrue(t.contains("2025—2026学年第一学期（秋季）"), t);
    int returned = t.indexOf("一、家访劝返后返校");
    int dropout = t.indexOf("二、程序完整的辍学确认");
    int overdue = t.indexOf("三、逾期未结或程序不完整");
    assertTrue(returned > 0 && dropout > returned && overdue > dropout, t);
    // S1 张小明: returned on 09-08 after three visits
    int s1 = t.indexOf("新庄中学八年级张*明（留守儿童）");
    assertTrue(s1 > returned && s1 < dropout, t);
    assertTrue(t.contains("9月8日返校上课，预警结案"), t);
    assertTrue(t.contains("班主任到家了解情况，学生沉迷手机游戏"), t);
    // S2 李华: dropout with the full procedure
    int s2 = t.indexOf("新庄中学九年级李*（困难家庭）");
    assertTrue(s2 > dropout && s2 < overdue, t);
    assertTrue(t.contains("9月23日按辍学结案：家访3次，有校领导家访，9月22日报送流失报告（期限9月25日），程序完整"), t);
    assertTrue(t.contains("辍学原因分类：外出务工"), t);
    // S7 周杰: open past its deadline, two visits
    int s7 = t.indexOf("新庄中学九年级周*");
    assertTrue(s7 > overdue, t);
    assertTrue(t.contains("已超过10月10日的期限7天；已家访2次，家访还差1次"), t);
    assertTrue(t.contains("张*明的时间线"), "each case has its time line chart");
    assertTrue(flat(casesHtml).contains("新庄中学八年级张*明（留守儿童）"));
  }

  @Test
  void noNameIdNumberStudentNumberGuardianOrPhoneFromTheInputIsPublished() throws Exception {
    List<String> secrets = secretsOfTheSample();
    assertTrue(secrets.size() > 40, "the sample's personal data: " + secrets.size());
    assertTrue(secrets.contains("张小明") && secrets.contains("G341322201105141016"));
    for (String doc : List.of(briefPdf, flat(briefHtml), casesPdf, flat(casesHtml))) {
      for (String s : secrets) {
        assertFalse(doc.contains(s), "published: " + s);
      }
    }
  }

  @Test
  void pdfsAreA4WithEveryFontEmbedded() throws Exception {
    for (Path p : List.of(brief.get(0), cases.get(0))) {
      try (PDDocument d = Loader.loadPDF(p.toFile())) {
        assertTrue(d.getNumberOfPages() >= 2, p + " has " + d.getNumberOfPages() + " pages");
        for (PDPage page : d.getPages()) {
          assertEquals(595, Math.round(page.getMediaBox().getWidth()), "A4 width");
          assertEquals(842, Math.round(page.getMediaBox().getHeight()), "A4 height");
          for (PDFont f : fonts(page.getResources())) {
            assertTrue(f.isEmbedded(), p.getFileName() + " uses " + f.getName() + " without embedding it");
            assertTrue(f.getName().contains("NotoSansSC"), f.getName());
          }
        }
      }
    }
  }

  @Test
  void rebuildingAPastMonthGivesTheSameDocument() throws Exception {
    Path again = Files.createTempDirectory("again");
    List<Path> b = Brief.write(wh, YearMonth.of(2025, 9), again, "县控辍保学工作领导小组办公室", 3);
    assertArrayEquals(Files.readAllBytes(brief.get(1)), Files.readAllBytes(b.get(1)), "the HTML, byte for byte");
    assertEquals(briefPdf, pdfText(b.get(0)), "the PDF's text");
    List<Path> c = Cases.write(wh, "2025-2026-1", again, "县控辍保学工作领导小组办公室", Cases.Selection.defaults());
    assertArrayEquals(Files.readAllBytes(cases.get(1)), Files.readAllBytes(c.get(1)));
    try (Stream<Path> files = Files.list(again)) {
      assertFalse(files.anyMatch(f -> f.toString().endsWith(".tmp")), "no temporary file left");
    }
  }

  @Test
  void aMonthOrTermWithoutDataIsAClearError() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Brief.write(wh, YearMonth.of(2025, 8), out, "x", 3));
    assertEquals("分析库里没有 2025-08 的快照：该月还没有处理过任何交付。", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Cases.write(wh, "2025-2026-3", out, "x", Cases.Selection.defaults()));
    assertTrue(e.getMessage().startsWith("学期写作 学年-学期"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Cases.write(wh, "2024-2025-2", out, "x", Cases.Selection.defaults()));
    assertTrue(e.getMessage().contains("没有 2024-2025-2"), e.getMessage());
  }

  @Test
  void theSelectionIsConfigurable() throws Exception {
    Path dir = Files.createTempDirectory("sel");
    List<Path> c = Cases.write(wh, "2025-2026-1", dir, "x", new Cases.Selection(List.of(Cases.Kind.DROPOUT), 1, 3));
    String t = pdfText(c.get(0));
    assertTrue(t.contains("李*"));
    assertFalse(t.contains("张*明"), "only the dropout kind was asked for");
  }

  static String pct(long a, long b) {
    return String.format(Locale.ROOT, "%.1f%%", 100.0 * a / b);
  }

  /** Every name, ID number, student number, guardian name and phone in the sample's deliveries. */
  static List<String> secretsOfTheSample() throws Exception {
    List<String> out = new ArrayList<>();
    try (Stream<Path> files = Files.walk(SampleWarehouse.SAMPLE)) {
      for (Path f : files.filter(p -> p.getFileName().toString().startsWith("students")).toList()) {
        List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
        List<String> head = List.of(lines.get(0).replace("\uFEFF", "").split(","));
        for (String line : lines.subList(1, lines.size())) {
          String[] c = line.split(",", -1);
          for (String col : List.of("全国学籍号", "姓名", "身份证件号", "监护人姓名", "监护人电话")) {
            int i = head.indexOf(col);
            if (i >= 0 && i < c.length && !c[i].isBlank() && !out.contains(c[i].strip())) {
              out.add(c[i].strip());
            }
          }
        }
      }
    }
    return out;
  }

  static List<PDFont> fonts(PDResources r) throws Exception {
    List<PDFont> out = new ArrayList<>();
    if (r == null) {
      return out;
    }
    for (var n : r.getFontNames()) {
      out.add(r.getFont(n));
    }
    for (var n : r.getXObjectNames()) {
      PDXObject x = r.getXObject(n);
      if (x instanceof PDFormXObject f) {
        out.addAll(fonts(f.getResources()));
      }
    }
    return out;
  }

}
