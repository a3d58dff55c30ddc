package baoxue.transforms;

import static org.apache.spark.sql.functions.*;

import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The as-of dates a computation is for (docs/performance.md "一组截止日期"): every rule takes its
 * inputs tagged with a column {@code as_of}, one copy of a row per date it belongs to, and keeps
 * {@code as_of} in every key, window and join, so the same rule gives the snapshot of one night
 * ({D}) or of every pending date of a backfill in one plan. A rule never reads a date literal:
 * the boundaries of D's school year and term are columns of {@code as_of} here.
 */
public final class AsOf {
  /** The column every tagged dataset carries. */
  public static final String COL = "as_of";

  private AsOf() {}

  /** The as_of column. */
  public static Column col() {
    return org.apache.spark.sql.functions.col(COL);
  }

  /**
   * Every row of {@code df} once per date of {@code dates}: an explode of an array literal (no
   * join, no Spark job). One date (a night) is a literal column, which the optimizer propagates
   * into every condition on as_of, so a night's filters are pushed to the Parquet scans as before.
   */
  public static Dataset<Row> tag(Dataset<Row> df, Collection<LocalDate> dates) {
    List<LocalDate> sorted = List.copyOf(new TreeSet<>(dates));
    if (sorted.isEmpty()) {
      throw new IllegalArgumentException("没有截止日期");
    }
    if (sorted.size() == 1) {
      return df.withColumn(COL, lit(sorted.get(0)));
    }
    Column[] lits = sorted.stream().map(d -> lit(d)).toArray(Column[]::new);
    return df.withColumn(COL, explode(array(lits)));
  }

  /** {@link #tag} with one date. */
  public static Dataset<Row> tag(Dataset<Row> df, LocalDate d) {
    return tag(df, List.of(d));
  }

  /**
   * Every row of {@code df} for each date of {@code dates} on or after the row's {@code known}
   * column (a row delivered on day X is known as of X and every later date).
   */
  public static Dataset<Row> known(Dataset<Row> df, Collection<LocalDate> dates, String known) {
    return tag(df, dates).where(org.apache.spark.sql.functions.col(known).leq(col()));
  }

  /** 1 September of the school year containing as_of (Cohort.yearStart). */
  public static Column yearStart() {
    return yearStart(col());
  }

  public static Column yearStart(Column d) {
    return make_date(when(month(d).geq(9), year(d)).otherwise(year(d).minus(1)), lit(9), lit(1));
  }

  /** 1 September or 1 February of the term containing as_of (Cohort.termStart). */
  public static Column termStart() {
    return when(month(col()).geq(9), make_date(year(col()), lit(9), lit(1)))
        .when(month(col()).equalTo(1), make_date(year(col()).minus(1), lit(9), lit(1)))
        .otherwise(make_date(year(col()), lit(2), lit(1)));
  }

  /** The school year of as_of, e.g. 2025-2026 (CoreTransforms.schoolYear). */
  public static Column schoolYear() {
    Column start = when(month(col()).geq(9), year(col())).otherwise(year(col()).minus(1));
    return concat(start.cast("string"), lit("-"), start.plus(1).cast("string"));
  }

  /** The key columns with as_of first. */
  public static String[] keys(String... columns) {
    String[] k = new String[columns.length + 1];
    k[0] = COL;
    System.arraycopy(columns, 0, k, 1, columns.length);
    return k;
  }

  /** {@link #keys} as columns. */
  public static Column[] columns(String... columns) {
    String[] k = keys(columns);
    Column[] c = new Column[k.length];
    for (int i = 0; i < k.length; i++) {
      c[i] = org.apache.spark.sql.functions.col(k[i]);
    }
    return c;
  }
}
