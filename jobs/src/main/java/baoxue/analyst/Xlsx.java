package baoxue.analyst;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.util.CellRangeAddress;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

/**
 * The project's spreadsheet forms: a bold title row, a note row, a bold Chinese header, then the
 * rows — numbers as numbers, everything else as text that can never be read as a formula
 * ({@link CellSafety}). Written to a temporary file and renamed, so a reader never opens half a file.
 */
final class Xlsx {
  private Xlsx() {}

  /** {@code emptyText}: written under the header when there are no rows (null: nothing). */
  static void write(Path file, String sheetName, String title, String note, List<String> header, List<List<Object>> rows, String emptyText)
      throws IOException {
    try (XSSFWorkbook wb = new XSSFWorkbook()) {
      Sheet sh = wb.createSheet(sheetName);
      Font bold = wb.createFont();
      bold.setBold(true);
      CellStyle head = wb.createCellStyle();
      head.setFont(bold);
      CellStyle text = wb.createCellStyle();
      text.setDataFormat(wb.createDataFormat().getFormat("@"));
      sh.createRow(0).createCell(0).setCellValue(CellSafety.neutralise(title));
      sh.getRow(0).getCell(0).setCellStyle(head);
      sh.createRow(1).createCell(0).setCellValue(note);
      sh.addMergedRegion(new CellRangeAddress(0, 0, 0, header.size() - 1));
      sh.addMergedRegion(new CellRangeAddress(1, 1, 0, header.size() - 1));
      Row h = sh.createRow(2);
      for (int i = 0; i < header.size(); i++) {
        Cell c = h.createCell(i);
        c.setCellValue(header.get(i));
        c.setCellStyle(head);
        sh.setColumnWidth(i, Math.min(60, Math.max(10, header.get(i).length() * 3)) * 256);
      }
      int r = 3;
      for (List<Object> row : rows) {
        Row x = sh.createRow(r++);
        for (int i = 0; i < row.size(); i++) {
          Object v = row.get(i);
          Cell c = x.createCell(i);
          if (v instanceof Number num) {
            c.setCellValue(num.doubleValue());
          } else if (v != null) {
            c.setCellValue(CellSafety.neutralise(String.valueOf(v)));
            c.setCellStyle(text);
          }
        }
      }
      if (rows.isEmpty() && emptyText != null) {
        sh.createRow(r).createCell(0).setCellValue(emptyText);
      }
      sh.createFreezePane(0, 3);
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      try (OutputStream os = Files.newOutputStream(tmp)) {
        wb.write(os);
      }
      baoxue.warehouse.Faults.point("publish:" + file.getFileName());
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
  }
}
