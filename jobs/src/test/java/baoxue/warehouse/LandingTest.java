package baoxue.warehouse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a landing folder may hold besides deliveries (issue 8, item 3): folders that are not dates
 * or only look like them, names that try to climb out (a file name cannot hold "/", so "..", "..."
 * and look-alikes), stray files, symbolic links to folders and files outside — none of it is read,
 * each is named with a reason.
 */
class LandingTest {
  @TempDir Path tmp;

  @Test
  void onlyRealDateFoldersAreDeliveriesAndNoLinkIsFollowed() throws Exception {
    Path landing = tmp.resolve("landing");
    Path outside = Files.createDirectories(tmp.resolve("another-county/2025-09-01"));
    Files.writeString(outside.resolve("attendance_9999999999.csv"), "全国学籍号,学校标识码,日期,状态\n");
    Path d = Files.createDirectories(landing.resolve("2025-09-01"));
    Files.writeString(d.resolve("attendance_3412220001.csv"), "全国学籍号,学校标识码,日期,状态\n");
    Files.createSymbolicLink(d.resolve("students_3412220001.csv"), Path.of("/etc/passwd"));
    Files.createSymbolicLink(d.resolve("attendance_3412220002.csv"), outside.resolve("attendance_9999999999.csv"));
    Files.createDirectories(d.resolve("2025-09-01"));
    Files.writeString(d.resolve("notes.txt"), "x");
    List<String> notDates = List.of("2025-13-45", "2025-02-30", "2025-9-1", "20250902", "2025-09-02 ", "2025-09-02..", "２０２５-０９-０２", "%2e%2e%2f2025-09-02", "2025-09-02\u2024\u2024");
    for (String bad : notDates) {
      Files.createDirectories(landing.resolve(bad));
    }
    for (String hidden : List.of("...", "..2025-09-02", "..\u2024", ".git")) {
      Files.createDirectories(landing.resolve(hidden).resolve("2025-09-02"));
    }
    Files.createSymbolicLink(landing.resolve("2025-09-03"), outside);
    Files.createSymbolicLink(landing.resolve("2025-09-04"), Path.of("/etc"));
    Files.writeString(landing.resolve("2025-09-05"), "a file, not a folder");

    Landing l = new Landing(landing.toString(), new Configuration());
    List<Landing.Skipped> skipped = new ArrayList<>();
    assertEquals(List.of(LocalDate.of(2025, 9, 1)), l.deliveries(skipped));
    Map<String, String> why = new TreeMap<>();
    skipped.forEach(s -> why.put(s.name(), s.reason()));
    assertEquals("是符号链接，不跟随；交付必须是真实的文件夹", why.get("2025-09-03"));
    assertEquals("是符号链接，不跟随；交付必须是真实的文件夹", why.get("2025-09-04"));
    assertEquals("不是交付文件夹（交付应放在以日期命名的文件夹中）", why.get("2025-09-05"));
    for (String bad : notDates) {
      assertEquals("文件夹名不是 YYYY-MM-DD 日期，已跳过", why.get(bad), bad);
    }
    // names starting with a dot are hidden folders (.git, a sync tool's): neither read nor reported
    assertEquals(notDates.size() + 3, why.size(), why.toString());

    Map<String, String> kinds = new TreeMap<>();
    l.files(LocalDate.of(2025, 9, 1)).forEach(f -> kinds.put(f.name(), String.valueOf(f.kind())));
    assertEquals(Map.of(
            "2025-09-01", "folder",
            "attendance_3412220001.csv", "attendance",
            "attendance_3412220002.csv", "symlink",
            "notes.txt", "null",
            "students_3412220001.csv", "symlink"),
        kinds);
  }
}
