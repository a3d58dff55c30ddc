package baoxue.analyst;

import baoxue.warehouse.DeliveryState;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The class teachers' daily action list ({@code ./baoxue alerts}): per school, as of D, every open
 * two-day-rule alert (overdue first) and every dropout closed without the full procedure, with the
 * visits logged and what is still missing. It names the children, because it goes to their own
 * school: it is read from the restricted zone and written outside the warehouse, never into the
 * analysts' database.
 */
public final class ActionLists {
  public static final String NOTICE =
      "本表含学生姓名与学籍号，只发给本校班主任和校领导用于家访，不得转发、公开或上传到其他系统。";

  static final String[] HEADERS = {
    "学校标识码", "学校", "年级", "班级", "全国学籍号", "姓名", "连续旷课起始日", "预警日（第二天）", "期限（起始日+15天）",
    "连续旷课天数", "状态", "距期限天数", "已家访次数", "校领导家访", "流失报告", "尚缺"
  };

  private ActionLists() {}

  /** What was written for one school. */
  public record SchoolList(String schoolCode, String schoolName, int rows, int overdue, Path xlsx, Path csv) {}

  public static List<SchoolList> write(Path warehouse, LocalDate d, String school, Path outDir, int minVisits) throws Exception {
    String state = warehouse.resolve(DeliveryState.path(d.toString())).toString();
    if (!Files.exists(Path.of(state))) {
      throw new IllegalStateException("仓库里没有 " + d + " 的交付：行动清单只能按已处理的交付日生成。");
    }
    String phase = new ObjectMapper().readTree(Files.readString(Path.of(state))).path("phase").asText();
    if (!DeliveryState.MARTS.equals(phase)) {
      throw new IllegalStateException(d + " 的交付还没有算完集市快照（当前阶段 " + phase + "）：请先运行 ./baoxue run。");
    }
    Map<String, List<List<Object>>> bySchool = new LinkedHashMap<>();
    Map<String, String> names = new LinkedHashMap<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT school_code, school_name FROM " + parquet(warehouse, "core/schools", false) + " ORDER BY 1")) {
        while (rs.next()) {
          names.put(rs.getString(1), rs.getString(2));
        }
      }
      if (school != null && !names.containsKey(school)) {
        throw new IllegalStateException("没有学校标识码为 " + school + " 的学校。");
      }
      Path part = warehouse.resolve("marts/alerts/as_of=" + d);
      if (Files.isDirectory(part)) {
        String sql =
            "WITH a AS (SELECT * FROM read_parquet('" + part + "/*.parquet')),\n"
                + " n AS (SELECT student_key, arg_max(name, delivery_date) AS name, arg_max(student_no, delivery_date) AS student_no\n"
                + "       FROM " + parquet(warehouse, "restricted/staged_students", true) + " WHERE delivery_date <= DATE '" + d + "' GROUP BY 1)\n"
                + "SELECT a.school_code, a.grade, a.class, n.student_no, n.name, a.streak_start, a.opened_on, a.due_on, a.streak_days,\n"
                + "  CASE WHEN a.resolution = 'dropout' THEN '已按辍学结案，程序不完整' WHEN a.overdue THEN '逾期未结' ELSE '未结' END AS status,\n"
                + "  CASE WHEN a.resolution = 'open' THEN date_diff('day', DATE '" + d + "', a.due_on) END AS days_left,\n"
                + "  a.home_visits, a.leader_visit, a.report_filed, a.report_on, a.resolution\n"
                + "FROM a LEFT JOIN n USING (student_key)\n"
                + "WHERE (a.resolution = 'open' OR (a.resolution = 'dropout' AND NOT a.compliant))"
                + (school == null ? "" : " AND a.school_code = '" + school.replace("'", "") + "'")
                + "\nORDER BY a.school_code, a.resolution = 'open' AND a.overdue DESC, a.due_on, a.grade, a.class, n.student_no";
        try (ResultSet rs = s.executeQuery(sql)) {
          while (rs.next()) {
            String code = rs.getString(1);
            List<String> missing = new ArrayList<>();
            int visits = rs.getInt("home_visits");
            if (visits < minVisits) {
              missing.add("还需家访 " + (minVisits - visits) + " 次（至少 " + minVisits + " 次）");
            }
            if (!rs.getBoolean("leader_visit")) {
              missing.add("校领导家访");
            }
            if (!rs.getBoolean("report_filed")) {
              missing.add("流失报告（期限 " + rs.getString("due_on") + "）");
            } else if (rs.getDate("report_on").toLocalDate().isAfter(rs.getDate("due_on").toLocalDate())) {
              missing.add("流失报告已逾期报送（" + rs.getString("report_on") + "）");
            }
            Object left = rs.getObject("days_left");
            List<Object> row = new ArrayList<>();
            row.add(code);
            row.add(names.getOrDefault(code, ""));
            row.add(rs.getInt("grade"));
            row.add(rs.getString("class"));
            row.add(rs.getString("student_no"));
            row.add(rs.getString("name"));
            row.add(rs.getString("streak_start"));
            row.add(rs.getString("opened_on"));
            row.add(rs.getString("due_on"));
            row.add(rs.getInt("streak_days"));
            row.add(rs.getString("status"));
            row.add(left == null ? null : ((Number) left).intValue());
            row.add(visits);
            row.add(rs.getBoolean("leader_visit") ? "已做" : "未做");
            row.add(rs.getBoolean("report_filed") ? "已报 " + rs.getString("report_on") : "未报");
            row.add(missing.isEmpty() ? "无" : String.join("；", missing));
            bySchool.computeIfAbsent(code, k -> new ArrayList<>()).add(row);
          }
        }
      }
    }
    if (school != null) {
      bySchool.putIfAbsent(school, new ArrayList<>());
    }
    Path dir = outDir.resolve(d.toString());
    Files.createDirectories(dir);
    List<SchoolList> out = new ArrayList<>();
    for (Map.Entry<String, List<List<Object>>> e : bySchool.entrySet()) {
      String name = names.getOrDefault(e.getKey(), "");
      String base = e.getKey() + "_" + name + "_家访行动清单_" + d;
      Path xlsx = dir.resolve(base + ".xlsx");
      Path csv = dir.resolve(base + ".csv");
      String title = name + "（" + e.getKey() + "）两天规则家访行动清单，截至 " + d;
      writeXlsx(xlsx, title, e.getValue());
      writeCsv(csv, title, e.getValue());
      int overdue = (int) e.getValue().stream().filter(r -> "逾期未结".equals(r.get(10))).count();
      out.add(new SchoolList(e.getKey(), name, e.getValue().size(), overdue, xlsx, csv));
    }
    return out;
  }

  private static String parquet(Path wh, String table, boolean partitioned) {
    return "read_parquet('" + wh.resolve(table) + (partitioned ? "/*/*.parquet', hive_partitioning = true)" : "/*.parquet')");
  }

  static void writeXlsx(Path file, String title, List<List<Object>> rows) throws IOException {
    Xlsx.write(file, "家访行动清单", title, NOTICE, List.of(HEADERS), rows, "今日没有需要跟进的预警。");
  }

  static void writeCsv(Path file, String title, List<List<Object>> rows) throws IOException {
    List<String> cols = List.of(HEADERS);
    SqlRunner.Result r = new SqlRunner.Result(cols, rows);
    String body = "\uFEFF" + "# " + title + "\r\n# " + NOTICE + "\r\n" + SqlRunner.csv(r);
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, body, StandardCharsets.UTF_8);
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }
}
