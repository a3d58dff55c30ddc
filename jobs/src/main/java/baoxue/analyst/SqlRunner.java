package baoxue.analyst;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** {@code ./baoxue sql}: analysts' SQL over the warehouse's DuckDB, read-only, as a table, CSV or JSON. */
public final class SqlRunner {
  private SqlRunner() {}

  /** A query's result: column names and rows of values (strings as DuckDB prints them). */
  public record Result(List<String> columns, List<List<Object>> rows) {}

  public static Connection open(Path warehouse) throws SQLException {
    Path db = warehouse.resolve(AnalystDb.FILE);
    if (!Files.exists(db)) {
      throw new IllegalStateException("仓库 " + warehouse + " 里还没有分析库 " + AnalystDb.FILE + "：先运行 ./baoxue run（或 ./baoxue demo）。");
    }
    Properties p = new Properties();
    p.setProperty("duckdb.read_only", "true");
    return DriverManager.getConnection("jdbc:duckdb:" + db, p);
  }

  public static Result query(Path warehouse, String sql) throws SQLException {
    try (Connection c = open(warehouse);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      ResultSetMetaData md = rs.getMetaData();
      List<String> cols = new ArrayList<>();
      for (int i = 1; i <= md.getColumnCount(); i++) {
        cols.add(md.getColumnLabel(i));
      }
      List<List<Object>> rows = new ArrayList<>();
      while (rs.next()) {
        List<Object> r = new ArrayList<>();
        for (int i = 1; i <= cols.size(); i++) {
          Object o = rs.getObject(i);
          r.add(o == null || o instanceof Number || o instanceof Boolean ? o : String.valueOf(o));
        }
        rows.add(r);
      }
      return new Result(cols, rows);
    }
  }

  /** The views with their Chinese descriptions. */
  public static Result listViews(Path warehouse) throws SQLException {
    return query(
        warehouse,
        "SELECT view_name AS 视图, comment AS 说明 FROM duckdb_views() WHERE NOT internal AND schema_name = 'main' ORDER BY view_name");
  }

  public static String format(Result r, String format) throws Exception {
    switch (format) {
      case "csv":
        return csv(r);
      case "json":
        return json(r);
      case "table":
        return table(r);
      default:
        throw new IllegalArgumentException("--format 只能是 table、csv 或 json");
    }
  }

  static String csv(Result r) {
    StringBuilder b = new StringBuilder();
    line(b, new ArrayList<>(r.columns()));
    for (List<Object> row : r.rows()) {
      line(b, row);
    }
    return b.toString();
  }

  private static void line(StringBuilder b, List<?> cells) {
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        b.append(',');
      }
      Object o = cells.get(i);
      String s = o == null ? "" : String.valueOf(o);
      b.append(csvCell(o instanceof String ? CellSafety.neutralise(s) : s));
    }
    b.append("\r\n");
  }

  /** A CSV field: quoted when it holds a comma, quote or line break. */
  public static String csvCell(String s) {
    if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
      return "\"" + s.replace("\"", "\"\"") + "\"";
    }
    return s;
  }

  static String json(Result r) throws Exception {
    List<Map<String, Object>> out = new ArrayList<>();
    for (List<Object> row : r.rows()) {
      Map<String, Object> m = new LinkedHashMap<>();
      for (int i = 0; i < r.columns().size(); i++) {
        m.put(r.columns().get(i), row.get(i));
      }
      out.add(m);
    }
    return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out) + "\n";
  }

  static String table(Result r) {
    int n = r.columns().size();
    int[] w = new int[n];
    List<List<String>> cells = new ArrayList<>();
    List<String> head = r.columns();
    for (int i = 0; i < n; i++) {
      w[i] = width(head.get(i));
    }
    for (List<Object> row : r.rows()) {
      List<String> c = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String s = row.get(i) == null ? "" : String.valueOf(row.get(i));
        c.add(s);
        w[i] = Math.max(w[i], width(s));
      }
      cells.add(c);
    }
    StringBuilder b = new StringBuilder();
    row(b, head, w);
    for (int i = 0; i < n; i++) {
      b.append(i == 0 ? "" : "-+-").append("-".repeat(w[i]));
    }
    b.append('\n');
    for (List<String> c : cells) {
      row(b, c, w);
    }
    b.append("（").append(r.rows().size()).append(" 行）\n");
    return b.toString();
  }

  private static void row(StringBuilder b, List<String> c, int[] w) {
    for (int i = 0; i < c.size(); i++) {
      b.append(i == 0 ? "" : " | ").append(c.get(i)).append(" ".repeat(w[i] - width(c.get(i))));
    }
    b.append('\n');
  }

  /** Display width: CJK and full-width characters take two columns. */
  static int width(String s) {
    int w = 0;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      Character.UnicodeScript sc = Character.UnicodeScript.of(cp);
      boolean wide =
          sc == Character.UnicodeScript.HAN
              || (cp >= 0x3000 && cp <= 0x303F)
              || (cp >= 0xFF00 && cp <= 0xFF60)
              || (cp >= 0xFE30 && cp <= 0xFE4F);
      w += wide ? 2 : 1;
    }
    return w;
  }
}
