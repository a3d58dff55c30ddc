package baoxue.publications;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The analysts' DuckDB ({@code <warehouse>/baoxue.duckdb}) opened read-only: every figure of a
 * publication is a query over its views, so a reader can check any number with {@code ./baoxue sql}.
 */
public final class Views implements AutoCloseable {
  private final Connection c;

  private Views(Connection c) {
    this.c = c;
  }

  public static Views open(Path warehouse) throws SQLException {
    Path db = warehouse.resolve("baoxue.duckdb");
    if (!Files.exists(db)) {
      throw new IllegalArgumentException("仓库 " + warehouse + " 里没有分析库 baoxue.duckdb：请先运行 ./baoxue run。");
    }
    Properties p = new Properties();
    p.setProperty("duckdb.read_only", "true");
    return new Views(DriverManager.getConnection("jdbc:duckdb:" + db, p));
  }

  /** The rows of a query with {@code ?} parameters, each as column → value (integers as Long). */
  public List<Map<String, Object>> rows(String sql, Object... params) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        Object v = params[i];
        s.setObject(i + 1, v instanceof java.time.LocalDate d ? java.sql.Date.valueOf(d) : v);
      }
      try (ResultSet rs = s.executeQuery()) {
        ResultSetMetaData md = rs.getMetaData();
        List<Map<String, Object>> out = new ArrayList<>();
        while (rs.next()) {
          Map<String, Object> r = new LinkedHashMap<>();
          for (int i = 1; i <= md.getColumnCount(); i++) {
            r.put(md.getColumnLabel(i), normal(rs.getObject(i)));
          }
          out.add(r);
        }
        return out;
      }
    }
  }

  /** The single row of a query (an empty map if there is none). */
  public Map<String, Object> one(String sql, Object... params) throws SQLException {
    List<Map<String, Object>> r = rows(sql, params);
    return r.isEmpty() ? Map.of() : r.get(0);
  }

  private static Object normal(Object v) {
    if (v instanceof BigInteger b) {
      return b.longValue();
    }
    if (v instanceof BigDecimal b) {
      return b.doubleValue();
    }
    if (v instanceof Integer i) {
      return i.longValue();
    }
    if (v instanceof java.sql.Date d) {
      return d.toLocalDate();
    }
    if (v instanceof java.time.LocalDateTime t) {
      return t.toLocalDate();
    }
    return v;
  }

  public static long n(Map<String, Object> r, String col) {
    Object v = r.get(col);
    return v == null ? 0 : ((Number) v).longValue();
  }

  public static double d(Map<String, Object> r, String col) {
    Object v = r.get(col);
    return v == null ? 0 : ((Number) v).doubleValue();
  }

  public static String s(Map<String, Object> r, String col) {
    Object v = r.get(col);
    return v == null ? null : v.toString();
  }

  @Override
  public void close() throws SQLException {
    c.close();
  }
}
