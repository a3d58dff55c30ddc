package baoxue.analyst;

import static org.junit.jupiter.api.Assertions.*;

import baoxue.testing.SampleWarehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;

/** The 月报 forms over the sample: September and October 2025 at school, township and county level. */
class MonthlyReportTest {
  static List<Object> row(MonthlyReport.Form f, String firstCells) {
    for (List<Object> r : f.rows()) {
      if (r.subList(0, 3).toString().contains(firstCells) || String.valueOf(r.get(0)).equals(firstCells)) {
        return r;
      }
    }
    throw new AssertionError(firstCells + " not in " + f.rows());
  }

  static long n(MonthlyReport.Form f, List<Object> r, String column) {
    return ((Number) r.get(f.header().indexOf(column))).longValue();
  }

  @Test
  void septemberForXinzhuangMiddleSchool() throws Exception {
    MonthlyReport.Form f = MonthlyReport.compute(SampleWarehouse.root(), YearMonth.of(2025, 9), "school");
    assertEquals(LocalDate.parse("2025-09-30"), f.asOf());
    assertEquals(3, f.rows().size());
    List<Object> r = row(f, "新庄中学");
    assertEquals(7, n(f, r, "月初在籍"), "S1 S2 S3 S4 S7 S8 S9");
    assertEquals(1, n(f, r, "新增辍学"), "S2; S3's pending transfer is 25 days old on 09-30");
    assertEquals(3, n(f, r, "新增预警"), "S1, S2, S7");
    assertEquals(0, n(f, r, "逾期未结"), "S7 is due 10-10");
    assertTrue(n(f, r, "家访次数") >= 7, "S1 three visits, S2 three and the leader's");
    assertEquals("按时", r.get(f.header().indexOf("是否按时")));
    List<Object> central = row(f, "新庄镇中心小学");
    assertEquals(0, n(f, central, "新增预警"), "S12's alert was removed by the 09-18 correction");
  }

  @Test
  void octoberCountsS3AsTheNewDropoutAndS7AsOverdue() throws Exception {
    MonthlyReport.Form f = MonthlyReport.compute(SampleWarehouse.root(), YearMonth.of(2025, 10), "county");
    assertEquals(LocalDate.parse("2025-10-17"), f.asOf());
    List<Object> r = f.rows().get(0);
    assertEquals(3L, n(f, r, "学校数"));
    assertEquals(1, n(f, r, "新增辍学"), "S3 (its pending transfer passed 30 days on 10-05); S2 was counted in September");
    assertEquals(1, n(f, r, "逾期未结"), "S7");
    MonthlyReport.Form t = MonthlyReport.compute(SampleWarehouse.root(), YearMonth.of(2025, 10), "township");
    assertEquals("新庄镇", t.rows().get(0).get(0));
    assertEquals("期限未到", t.rows().get(0).get(t.header().indexOf("是否按时")), "10-25 is after the last delivery");
  }

  @Test
  void theXlsxHasTheTitleTheNoteAndChineseHeaders() throws Exception {
    MonthlyReport.Form f = MonthlyReport.compute(SampleWarehouse.root(), YearMonth.of(2025, 9), "school");
    Path x = MonthlyReport.write(f, Files.createTempDirectory("yb"));
    try (XSSFWorkbook wb = new XSSFWorkbook(Files.newInputStream(x))) {
      var sh = wb.getSheetAt(0);
      assertTrue(sh.getRow(0).getCell(0).getStringCellValue().contains("2025 年 9 月"));
      assertTrue(sh.getRow(1).getCell(0).getStringCellValue().contains("截至 2025-09-30"));
      assertEquals("月初在籍", sh.getRow(2).getCell(3).getStringCellValue());
      assertEquals(5, sh.getLastRowNum(), "title, note, header and three schools (rows 0 to 5)");
    }
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> MonthlyReport.compute(SampleWarehouse.root(), YearMonth.of(2025, 8), "school"));
    assertTrue(e.getMessage().contains("2025-08"), e.getMessage());
  }

  @Test
  void theXlsxCellsAreTheFormsNumbers() throws Exception {
    assertEquals(3, cellsAsPoiReadsThem(Files.createTempDirectory("yb")).size());
  }

  @Test
  void libreOfficeReadsTheSameNumbers() throws Exception {
    String soffice = java.util.stream.Stream.of("soffice", "libreoffice")
        .flatMap(b -> java.util.stream.Stream.of(System.getenv("PATH").split(":")).map(d -> Path.of(d, b)))
        .filter(Files::isExecutable).map(Path::toString).findFirst().orElse(null);
    org.junit.jupiter.api.Assumptions.assumeTrue(soffice != null, "LibreOffice is not installed here (theXlsxCellsAreTheFormsNumbers checks the cells with POI)");
    Path dir = Files.createTempDirectory("yb");
    List<List<String>> cells = cellsAsPoiReadsThem(dir);
    Path x;
    try (var files = Files.list(dir)) {
      x = files.filter(p -> p.toString().endsWith(".xlsx")).findFirst().orElseThrow();
    }
    Process p = new ProcessBuilder(soffice, "--headless", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", dir.toString(), x.toString())
        .redirectErrorStream(true).start();
    assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS));
    List<String> lines = Files.readAllLines(dir.resolve(x.getFileName().toString().replaceAll("\\.xlsx$", ".csv")));
    for (int i = 0; i < cells.size(); i++) {
      assertEquals(String.join(",", cells.get(i)), lines.get(3 + i).replace("\"", ""));
    }
  }

  /** Writes September's school form into {@code dir}; checks every cell's type and value with POI. */
  static List<List<String>> cellsAsPoiReadsThem(Path dir) throws Exception {
    MonthlyReport.Form f = MonthlyReport.compute(SampleWarehouse.root(), YearMonth.of(2025, 9), "school");
    Path x = MonthlyReport.write(f, dir);
    List<List<String>> cells = new java.util.ArrayList<>();
    try (XSSFWorkbook wb = new XSSFWorkbook(Files.newInputStream(x))) {
      var sh = wb.getSheetAt(0);
      for (int i = 0; i < f.rows().size(); i++) {
        var row = sh.getRow(3 + i);
        List<String> line = new java.util.ArrayList<>();
        for (int c = 0; c < f.header().size(); c++) {
          Object want = f.rows().get(i).get(c);
          var cell = row.getCell(c);
          if (want instanceof Number n) {
            assertEquals(org.apache.poi.ss.usermodel.CellType.NUMERIC, cell.getCellType(), f.header().get(c) + " is a number");
            assertEquals(n.doubleValue(), cell.getNumericCellValue(), 1e-9, f.header().get(c));
            line.add(java.math.BigDecimal.valueOf(n.doubleValue()).stripTrailingZeros().toPlainString());
          } else if (want != null) {
            assertEquals(org.apache.poi.ss.usermodel.CellType.STRING, cell.getCellType(), f.header().get(c) + " is text");
            assertEquals(want.toString(), cell.getStringCellValue());
            line.add(want.toString());
          } else {
            line.add("");
          }
        }
        cells.add(line);
      }
    }
    return cells;
  }
}
