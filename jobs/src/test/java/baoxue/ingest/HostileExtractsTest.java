package baoxue.ingest;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Damaged and hostile extracts, file by file: each one either loads its good rows and quarantines
 * the rest with line and reason, or is rejected whole with a reason a school's clerk can act on.
 * Never an exception, never a reason that carries a personal value or a megabyte of the input.
 */
class HostileExtractsTest {
  static final String HEADER = ExtractFileParserTest.HEADER;
  static final String S1 = ExtractFileParserTest.S1;
  static final String GOOD = S1 + ",3412220001,2025-09-17,出勤,\n";

  /** What came out of one file: per data line loaded (null) or its reason, and the file's reason. */
  record Outcome(List<Integer> loaded, List<String> quarantined, String fileReason) {}

  static Outcome parse(byte[] bytes) {
    List<Object[]> rows = ExtractFileParserTest.parse("attendance", bytes);
    Object[] file = rows.get(rows.size() - 1);
    assertEquals("file", file[0], "the file record comes last");
    assertEquals(1, rows.stream().filter(r -> r[0].equals("file")).count());
    List<Integer> loaded = new ArrayList<>();
    List<String> quarantined = new ArrayList<>();
    for (Object[] r : rows.subList(0, rows.size() - 1)) {
      String reason = (String) r[3];
      if (reason == null) {
        loaded.add((Integer) r[2]);
      } else {
        assertTrue(reason.length() < 200, "a reason, not the input: " + reason.length() + " characters");
        assertFalse(reason.contains(S1), "no student number in a reason");
        quarantined.add("第 " + r[2] + " 行：" + reason);
      }
    }
    String fr = (String) file[3];
    if (fr != null) {
      assertTrue(fr.startsWith("文件被拒："), fr);
      assertTrue(fr.length() < 200, fr);
      // the parser streams, so rows before the point of rejection were already emitted; the stage
      // drops every row of a rejected file (Validation.readableRows)
      return new Outcome(List.of(), quarantined, fr);
    }
    return new Outcome(loaded, quarantined, fr);
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  @Test
  void aFileTruncatedInTheMiddleOfARowKeepsTheRowsBeforeIt() {
    Outcome o = parse(utf8(HEADER + GOOD + GOOD.replace("09-17", "09-16") + S1 + ",34122200"));
    assertEquals(List.of(2, 3), o.loaded());
    assertEquals(1, o.quarantined().size());
    assertTrue(o.quarantined().get(0).startsWith("第 4 行："), o.quarantined().toString());
    assertNull(o.fileReason());
  }

  @Test
  void aFileCutInsideAQuoteQuarantinesTheOpenRecordOnly() {
    Outcome o = parse(utf8(HEADER + GOOD + S1 + ",3412220001,2025-09-16,旷课,\"家长说明天\n再来"));
    assertEquals(List.of(2), o.loaded());
    assertEquals(List.of("第 3 行：引号未闭合：文件在引号内结束（从第 3 行起）"), o.quarantined());
  }

  @Test
  void aTenMegabyteLineRejectsTheFileNamingTheLineNotAnOutOfMemory() {
    String huge = "x".repeat(10 << 20);
    String reason = "文件被拒：从第 3 行起的记录有一个单元格超过 1048576 个字符，不是正常导出的 CSV";
    Outcome plain = parse(utf8(HEADER + GOOD + huge + "\n" + GOOD.replace("09-17", "09-16")));
    assertEquals(reason, plain.fileReason());
    assertEquals(List.of(), plain.loaded());
    // the same inside an unterminated quote: the cell limit stops it before the end of the file
    assertEquals(reason, parse(utf8(HEADER + GOOD + "\"" + huge)).fileReason());
    // a long but sane free-text cell (10 000 characters) is just text
    Outcome longRemark = parse(utf8(HEADER + S1 + ",3412220001,2025-09-17,出勤," + "长".repeat(10_000) + "\n"));
    assertEquals(List.of(2), longRemark.loaded());
  }

  @Test
  void binaryGarbageUtf16AndMixedEncodingsAreRejectedWithTheReason() {
    byte[] garbage = new byte[4096];
    new java.util.Random(1).nextBytes(garbage);
    assertTrue(parse(garbage).fileReason() != null);
    assertEquals(
        "文件被拒：文件是 UTF-16 编码，请另存为 UTF-8 或 GBK 的 CSV",
        parse(concat(new byte[] {(byte) 0xFF, (byte) 0xFE}, (HEADER + GOOD).getBytes(StandardCharsets.UTF_16LE))).fileReason());
    // a UTF-8 file with one row pasted in from a GBK export: one encoding per file, so the whole
    // file is refused (guessing per row would silently misread names)
    byte[] mixed = concat(utf8(HEADER + GOOD), (S1 + ",3412220001,2025-09-16,旷课,病假条未交\n").getBytes(Charset.forName("GBK")));
    Outcome o = parse(mixed);
    assertNotNull(o.fileReason(), o.toString());
  }

  @Test
  void emptyHeaderOnlyAndDuplicateHeaders() {
    assertEquals("文件被拒：空文件（没有表头）", parse(new byte[0]).fileReason());
    assertEquals("文件被拒：空文件（没有表头）", parse(utf8("\n\n\n")).fileReason());
    Outcome headerOnly = parse(utf8(HEADER));
    assertEquals(List.of(), headerOnly.loaded());
    assertNull(headerOnly.fileReason());
    assertEquals("文件被拒：表头重复：列「日期」出现了两次", parse(utf8("全国学籍号,学校标识码,日期,状态,日期\n" + GOOD)).fileReason());
  }

  @Test
  void aRowOfTenThousandCellsIsQuarantined() {
    Outcome o = parse(utf8(HEADER + ",".repeat(10_000) + "x\n" + GOOD));
    assertEquals(List.of(3), o.loaded());
    assertEquals(1, o.quarantined().size());
    assertTrue(o.quarantined().get(0).startsWith("第 2 行："), o.quarantined().toString());
  }

  @Test
  void formulaLookingFreeTextLoadsAsText() {
    // the remark is free text: it loads as typed; every XLSX and CSV the project writes neutralises
    // it (CellSafety, AnalystDbTest and ActionListsTest)
    for (String f : List.of("=HYPERLINK(\"http://x\",\"点我\")", "+1", "-1+2", "@SUM(A1)")) {
      String cell = "\"" + f.replace("\"", "\"\"") + "\"";
      Outcome o = parse(utf8(HEADER + S1 + ",3412220001,2025-09-17,出勤," + cell + "\n"));
      assertEquals(List.of(2), o.loaded(), f);
      assertTrue(baoxue.analyst.CellSafety.neutralise(f).startsWith("'"), f);
    }
  }
}
