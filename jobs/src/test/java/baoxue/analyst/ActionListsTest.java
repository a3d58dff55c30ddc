package baoxue.analyst;

import static org.junit.jupiter.api.Assertions.*;

import baoxue.testing.SampleWarehouse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;

/** The class teachers' action list for the sample's 新庄中学. */
class ActionListsTest {
  @Test
  void asOf1017ZhouJieIsOverdueAndMissingAThirdVisitTheLeaderAndTheReport() throws Exception {
    Path out = Files.createTempDirectory("alerts");
    List<ActionLists.SchoolList> lists = ActionLists.write(SampleWarehouse.root(), LocalDate.parse("2025-10-17"), null, out, 3);
    assertEquals(1, lists.size(), lists.toString());
    ActionLists.SchoolList l = lists.get(0);
    assertEquals("3412220001", l.schoolCode());
    assertEquals(1, l.rows());
    assertEquals(1, l.overdue());
    try (XSSFWorkbook wb = new XSSFWorkbook(Files.newInputStream(l.xlsx()))) {
      Sheet sh = wb.getSheetAt(0);
      assertTrue(sh.getRow(1).getCell(0).getStringCellValue().contains("含学生姓名"));
      assertEquals("姓名", sh.getRow(2).getCell(5).getStringCellValue());
      Row r = sh.getRow(3);
      assertEquals("周杰", r.getCell(5).getStringCellValue());
      assertEquals("G341322201006301133", r.getCell(4).getStringCellValue());
      assertEquals("2025-09-25", r.getCell(6).getStringCellValue());
      assertEquals("逾期未结", r.getCell(10).getStringCellValue());
      assertEquals(2, (int) r.getCell(12).getNumericCellValue());
      String missing = r.getCell(15).getStringCellValue();
      assertTrue(missing.contains("还需家访 1 次") && missing.contains("校领导家访") && missing.contains("流失报告"), missing);
    }
    String csv = Files.readString(l.csv(), StandardCharsets.UTF_8);
    assertTrue(csv.contains("周杰") && csv.contains("含学生姓名"), csv);
  }

  @Test
  void asOf0917TwoSchoolsHaveOpenAlertsAndAChosenSchoolWithNoneGetsAnEmptyList() throws Exception {
    Path out = Files.createTempDirectory("alerts");
    List<ActionLists.SchoolList> lists = ActionLists.write(SampleWarehouse.root(), LocalDate.parse("2025-09-17"), null, out, 3);
    assertEquals(List.of("3412220001", "3412220002"), lists.stream().map(ActionLists.SchoolList::schoolCode).toList());
    List<ActionLists.SchoolList> one = ActionLists.write(SampleWarehouse.root(), LocalDate.parse("2025-09-17"), "3412220003", out, 3);
    assertEquals(0, one.get(0).rows());
    assertTrue(Files.exists(one.get(0).xlsx()));
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> ActionLists.write(SampleWarehouse.root(), LocalDate.parse("2025-10-04"), null, out, 3));
    assertTrue(e.getMessage().contains("没有 2025-10-04 的交付"), e.getMessage());
  }
}
