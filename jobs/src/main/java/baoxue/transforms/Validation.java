package baoxue.transforms;

import static org.apache.spark.sql.functions.*;

import baoxue.ingest.ParsedLayout;
import baoxue.schema.ColumnSpec;
import baoxue.schema.ExtractSpec;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.functions;

/**
 * The contract's validation rules on parsed rows, each a pure Dataset → Dataset function:
 * rejected files, unreadable rows, key conflicts inside one delivery, duplicates. The rows carry
 * {@code delivery_date}: several deliveries are validated together, each on its own.
 */
public final class Validation {
  private Validation() {}

  /** Files rejected as a whole (missing required column, unreadable, …): one row per file. */
  public static Dataset<Row> rejectedFiles(Dataset<Row> parsed) {
    return parsed
        .where(col(ParsedLayout.RECORD).equalTo("file").and(col(ParsedLayout.ERROR).isNotNull()))
        .select(col(ParsedLayout.FILE));
  }

  /** Rows that passed every cell rule, from files that were not rejected. */
  public static Dataset<Row> readableRows(Dataset<Row> parsed) {
    return parsed
        .where(col(ParsedLayout.RECORD).equalTo("row").and(col(ParsedLayout.ERROR).isNull()))
        .join(
            rejectedFiles(parsed).withColumnRenamed(ParsedLayout.FILE, "_rejected_file"),
            col(ParsedLayout.FILE).equalTo(col("_rejected_file")),
            "left_anti");
  }

  /** The window of one key within one delivery. */
  private static WindowSpec byKeyInDelivery(ExtractSpec spec) {
    List<String> k = new ArrayList<>(List.of("delivery_date"));
    k.addAll(keyColumns(spec));
    return Window.partitionBy(k.stream().map(functions::col).toArray(Column[]::new));
  }

  /** Key columns of a kind within one delivery, with student_key standing for the student number. */
  public static List<String> keyColumns(ExtractSpec spec) {
    List<String> k = new ArrayList<>();
    for (String c : spec.key) {
      k.add(c.equals("student_no") ? ParsedLayout.STUDENT_KEY : c);
    }
    return k;
  }

  /** Columns whose different values for one key in one delivery are a conflict. */
  public static List<String> conflictColumns(ExtractSpec spec) {
    if (!spec.conflictColumns.isEmpty()) {
      return spec.conflictColumns;
    }
    List<String> c = new ArrayList<>();
    for (ColumnSpec col : spec.columns) {
      if (!col.restricted() && !spec.key.contains(col.name)) {
        c.add(col.name);
      }
    }
    return c;
  }

  /**
   * Adds {@code _conflict}: for rows whose key appears in the same delivery with different values
   * of the conflict columns, the reason (all such rows are quarantined); else null.
   */
  public static Dataset<Row> markKeyConflicts(Dataset<Row> rows, ExtractSpec spec) {
    List<String> conflict = conflictColumns(spec);
    Column[] vals = conflict.stream().map(c -> coalesce(col(c).cast("string"), lit("（空）"))).toArray(Column[]::new);
    WindowSpec byKey = byKeyInDelivery(spec);
    Column distinctValues = array_sort(collect_set(concat_ws("/", vals)).over(byKey));
    String keyNames =
        String.join("、", spec.key.stream().map(k -> spec.column(k).orElseThrow().header).toList());
    String colNames =
        String.join("、", conflict.stream().map(k -> "「" + spec.column(k).orElseThrow().header + "」").toList());
    return rows.withColumn("_values", distinctValues)
        .withColumn(
            "_conflict",
            when(
                size(col("_values")).gt(1),
                concat(
                    lit("同一交付中键（" + keyNames + "）相同而" + colNames + "不同（"),
                    array_join(col("_values"), "、"),
                    lit("），这些行均已隔离")))
                .otherwise(lit(null).cast("string")))
        .drop("_values");
  }

  /** One row per key: exact duplicates inside one delivery are kept once (the first by file, line). */
  public static Dataset<Row> dropDuplicateKeys(Dataset<Row> rows, ExtractSpec spec) {
    WindowSpec w = byKeyInDelivery(spec).orderBy(col(ParsedLayout.FILE), col(ParsedLayout.LINE));
    return rows.withColumn("_n", row_number().over(w)).where(col("_n").equalTo(1)).drop("_n");
  }

  /** Quarantine rows: rejected files, unreadable rows and conflicting rows, with their reasons. */
  public static Dataset<Row> quarantine(Dataset<Row> parsed, Dataset<Row> conflicted, String kind) {
    Dataset<Row> bad =
        parsed
            .where(col(ParsedLayout.ERROR).isNotNull())
            .select(
                col(ParsedLayout.FILE).as("file"),
                col(ParsedLayout.LINE).as("line"),
                lit(kind).as("kind"),
                col(ParsedLayout.RECORD).as("level"),
                col(ParsedLayout.ERROR).as("reason"),
                col(ParsedLayout.RAW).as("raw"),
                col("delivery_date"));
    Dataset<Row> conf =
        conflicted.select(
            col(ParsedLayout.FILE).as("file"),
            col(ParsedLayout.LINE).as("line"),
            lit(kind).as("kind"),
            lit("row").as("level"),
            col("_conflict").as("reason"),
            col(ParsedLayout.RAW).as("raw"),
            col("delivery_date"));
    return bad.unionByName(conf);
  }
}
