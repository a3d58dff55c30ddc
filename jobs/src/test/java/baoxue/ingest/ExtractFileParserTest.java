package baoxue.ingest;

import static org.junit.jupiter.api.Assertions.*;

import baoxue.privacy.Pseudonym;
import baoxue.schema.Schemas;
import java.io.ByteArrayInputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Each contract rule, one failing row, and the exact reason a user is shown. */
class ExtractFileParserTest {
  static final LocalDate D = LocalDate.of(2025, 9, 18);
  static final String HEADER = "全国学籍号,学校标识码,日期,状态,备注\n";
  static final String S1 = "G341322201105141016";

  static List<Object[]> parse(String kind, byte[] bytes) {
    ExtractFileParser p =
        new ExtractFileParser(Schemas.extract(kind), D, Set.of("3412220001"), new Pseudonym("testkey"));
    List<Object[]> out = new ArrayList<>();
    Iterator<Object[]> it = p.parse("2025-09-18/f.csv", () -> new ByteArrayInputStream(bytes));
    it.forEachRemaining(out::add);
    return out;
  }

  static List<Object[]> attendance(String body) {
    return parse("attendance", (HEADER + body).getBytes(StandardCharsets.UTF_8));
  }

  /** The single data row's reason (null if it loaded). */
  static String reason(String body) {
    List<Object[]> rows = attendance(body);
    List<Object[]> data = rows.stream().filter(r -> r[0].equals("row")).toList();
    assertEquals(1, data.size(), "one data row expected");
    return (String) data.get(0)[3];
  }

  static Object[] fileRecord(List<Object[]> rows) {
    return rows.stream().filter(r -> r[0].equals("file")).findFirst().orElseThrow();
  }

  @Test
  void aGoodRowLoadsWithItsKeyAndLine() {
    List<Object[]> rows = attendance(S1 + ",3412220001,2025-09-17,出勤,\n");
    Object[] r = rows.get(0);
    assertNull(r[3]);
    assertEquals(2, r[2]);
    assertEquals("6f3a9dcdfecbc505", r[7], "student_key = HMAC-SHA256 first 16 hex");
    assertEquals(LocalDate.of(2025, 9, 17), r[10]);
    assertNull(fileRecord(rows)[3]);
  }

  @Test
  void aRecordNumberBuiltFromAStudentNumberOrPhoneDoesNotCarryItIntoTheAnalystZone() {
    String header = "异动编号,全国学籍号,异动类型,异动日期,原学校标识码,新学校标识码,异动原因,审批状态\n";
    String body = "YD3412220001-" + S1 + "-2," + S1 + ",转出,2025-09-17,3412220001,,外出务工,待审批\n"
        + "YD-13812345678," + S1 + ",转出,2025-09-17,3412220001,,,待审批\n"
        + "YD2025001," + S1 + ",转出,2025-09-17,3412220001,,,待审批\n";
    List<Object[]> rows = parse("changes", (header + body).getBytes(StandardCharsets.UTF_8)).stream().filter(r -> r[0].equals("row")).toList();
    assertNull(rows.get(0)[3]);
    assertEquals("YD3412220001-" + rows.get(0)[7] + "-2", rows.get(0)[8], "the student number inside becomes the student's key");
    assertEquals("YD-" + new Pseudonym("testkey").studentKey("13812345678"), rows.get(1)[8]);
    assertEquals("YD2025001", rows.get(2)[8], "an ordinary number is kept");
  }

  @Test
  void excelDatesAreRead() {
    List<Object[]> rows = attendance(S1 + ",3412220001,2025/9/16,病假,\"补交病假条,更正\"\n");
    assertNull(rows.get(0)[3]);
    assertEquals(LocalDate.of(2025, 9, 16), rows.get(0)[10]);
    assertEquals("补交病假条,更正", rows.get(0)[12]);
  }

  @Test
  void invalidDate() {
    assertEquals("「日期」「2025-09-31」不是有效日期（应为 YYYY-MM-DD 或 YYYY/M/D）", reason(S1 + ",3412220001,2025-09-31,出勤,\n"));
  }

  @Test
  void dateAfterDelivery() {
    assertEquals("「日期」「2025-09-19」晚于交付日期 2025-09-18", reason(S1 + ",3412220001,2025-09-19,出勤,\n"));
  }

  @Test
  void unknownStatus() {
    assertEquals(
        "「状态」「缺席」不是允许的取值（出勤、迟到、早退、病假、事假、旷课）", reason(S1 + ",3412220001,2025-09-17,缺席,\n"));
  }

  @Test
  void badStudentNumberNamesTheColumnButNotTheValue() {
    String r = reason("G000,3412220001,2025-09-17,出勤,\n");
    assertEquals("「全国学籍号」格式错误（应为 G+18 位身份证号且校验位正确，或 L+18 位字母数字）", r);
    assertEquals(r, reason("G341322201105141017,3412220001,2025-09-17,出勤,\n"), "wrong check digit");
  }

  @Test
  void unknownSchool() {
    assertEquals("「学校标识码」「3412229999」不在任何学校名单（schools）交付中", reason(S1 + ",3412229999,2025-09-17,出勤,\n"));
    assertEquals("「学校标识码」「34122」不是 10 位学校标识码", reason(S1 + ",34122,2025-09-17,出勤,\n"));
  }

  @Test
  void missingKey() {
    assertEquals("缺少必填项「全国学籍号」", reason(",3412220001,2025-09-17,出勤,\n"));
  }

  @Test
  void tooManyAndTooFewCells() {
    assertEquals("列数不符：表头 5 列，本行 6 列", reason(S1 + ",3412220001,2025-09-17,出勤,,x\n"));
    assertEquals("列数不符：表头 5 列，本行 4 列", reason(S1 + ",3412220001,2025-09-17,出勤\n"));
  }

  @Test
  void unterminatedQuote() {
    assertEquals("引号未闭合：文件在引号内结束（从第 2 行起）", reason(S1 + ",3412220001,2025-09-17,出勤,\"没有结束\n"));
  }

  @Test
  void quotedCellsWithCommasQuotesAndLineBreaksKeepLineNumbers() {
    List<Object[]> rows =
        attendance(S1 + ",3412220001,2025-09-16,病假,\"第一行\r\n第二行,有\"\"引号\"\"\"\r\n" + S1 + ",3412220001,2025-09-17,出勤,\r\n");
    assertEquals(2, rows.get(0)[2]);
    assertEquals("第一行\n第二行,有\"引号\"", rows.get(0)[12]);
    assertEquals(4, rows.get(1)[2], "second record starts on physical line 4");
    assertNull(rows.get(1)[3]);
  }

  @Test
  void badBooleanGradeAndIdNumberInRoster() {
    String h = "全国学籍号,姓名,性别,出生日期,身份证件号,学校标识码,年级,班级,学籍状态,留守儿童\n";
    String row = S1 + ",张小明,男,2011-05-14,341322201105141016,3412220001,8,2班,在读,是\n";
    List<Object[]> ok = parse("students", (h + row).getBytes(StandardCharsets.UTF_8));
    assertNull(ok.get(0)[3]);
    assertEquals("2", ok.get(0)[8 + 7], "班级 2班 → 2");
    List<Object[]> bad =
        parse("students", (h + S1 + ",张小明,男,2011-05-14,341322201105141017,3412220001,10,2,在读,也许\n").getBytes(StandardCharsets.UTF_8));
    assertEquals(
        "「身份证件号」不是有效的 18 位身份证件号（GB 11643 校验位）；「年级」「10」不是 1–9 的年级；「留守儿童」「也许」不是有效的是否值（是/否、1/0、Y/N、true/false）",
        bad.get(0)[3]);
  }

  @Test
  void missingRequiredColumnRejectsTheFile() {
    List<Object[]> rows = parse("attendance", ("全国学籍号,学校标识码,日期,备注\n" + S1 + ",3412220001,2025-09-17,\n").getBytes(StandardCharsets.UTF_8));
    assertEquals(1, rows.size());
    assertEquals("文件被拒：缺少必填列「状态」", rows.get(0)[3]);
  }

  @Test
  void unknownColumnsAreIgnoredWithAWarningAndOrderIsFree() {
    List<Object[]> rows =
        parse("attendance", ("状态,日期,班主任,学校标识码,全国学籍号\n出勤,2025-09-17,王老师,3412220001," + S1 + "\n").getBytes(StandardCharsets.UTF_8));
    assertNull(rows.get(0)[3]);
    assertEquals("出勤", rows.get(0)[11]);
    assertEquals(List.of("未知列「班主任」已忽略"), Arrays.asList((String[]) fileRecord(rows)[4]));
  }

  @Test
  void duplicateHeaderRejectsTheFile() {
    List<Object[]> rows = parse("attendance", "全国学籍号,学校标识码,日期,状态,状态\n".getBytes(StandardCharsets.UTF_8));
    assertEquals("文件被拒：表头重复：列「状态」出现了两次", fileRecord(rows)[3]);
  }

  @Test
  void encodingsAreDetectedPerFile() {
    String text = HEADER.replace("\n", "\r\n") + S1 + ",3412220001,2025-09-17,旷课,\r\n";
    List<Object[]> gb = parse("attendance", text.getBytes(Charset.forName("GB18030")));
    assertNull(gb.get(0)[3]);
    assertEquals("旷课", gb.get(0)[11]);
    assertEquals("GB18030/CRLF", fileRecord(gb)[5]);
    byte[] utf = text.getBytes(StandardCharsets.UTF_8);
    byte[] bom = new byte[utf.length + 3];
    bom[0] = (byte) 0xEF;
    bom[1] = (byte) 0xBB;
    bom[2] = (byte) 0xBF;
    System.arraycopy(utf, 0, bom, 3, utf.length);
    List<Object[]> withBom = parse("attendance", bom);
    assertNull(withBom.get(0)[3], "the BOM must not spoil the first header");
    assertEquals("UTF-8+BOM/CRLF", fileRecord(withBom)[5]);
  }

  @Test
  void emptyAndBinaryFilesAreRejected() {
    assertEquals("文件被拒：空文件（没有表头）", parse("attendance", new byte[0]).get(0)[3]);
    assertEquals(
        "文件被拒：文件含有二进制内容（NUL 字节），不是 CSV 文本文件",
        parse("attendance", new byte[] {'a', 0, 'b', 1, 2}).get(0)[3]);
  }

  @Test
  void headerOnlyFileLoadsNothingWithoutError() {
    List<Object[]> rows = attendance("");
    assertEquals(1, rows.size());
    assertNull(rows.get(0)[3]);
  }

  @Test
  void studentNumbersAndIdNumbers() {
    assertTrue(IdNumbers.validStudentNo("G34132220100302103X"));
    assertTrue(IdNumbers.validStudentNo("LAB12CD34EF56GH78JK"));
    assertFalse(IdNumbers.validStudentNo("G34132220100302103"));
    assertFalse(IdNumbers.validIdNumber("341322201105141017"));
  }
}
