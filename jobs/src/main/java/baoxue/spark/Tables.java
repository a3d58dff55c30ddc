package baoxue.spark;

import static org.apache.spark.sql.functions.col;

import baoxue.schema.TableSpec;
import baoxue.warehouse.Txn;
import baoxue.warehouse.Warehouse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/** Reading and writing declared tables at the edges of a job; always with the declared schema. */
public final class Tables {
  private Tables() {}

  /** The published table, or an empty one with its schema. */
  public static Dataset<Row> read(SparkSession spark, Warehouse wh, TableSpec t) throws IOException {
    String dir = t.path();
    boolean has = t.partitionBy.isEmpty() ? wh.exists(dir) : !wh.partitions(dir).isEmpty();
    if (!has) {
      return spark.createDataFrame(new ArrayList<Row>(), SparkTypes.of(t));
    }
    String path = wh.path(dir).toString();
    Dataset<Row> df = spark.read().schema(SparkTypes.of(t)).option("basePath", path).parquet(path);
    return df.select(t.columns.stream().map(c -> col(c.name)).toArray(Column[]::new));
  }

  /** Conforms a dataset to the declared table: same columns, order and types. */
  public static Dataset<Row> conform(Dataset<Row> df, TableSpec t) {
    return df.select(
        t.columns.stream()
            .map(c -> col(c.name).cast(SparkTypes.of(c.type)).as(c.name))
            .toArray(Column[]::new));
  }

  /**
   * Writes a whole (unpartitioned) table into the transaction, one file, rows sorted by key; the
   * key is checked unique and not null as the rows are written ({@link KeyCheck}).
   */
  public static void writeTable(Dataset<Row> df, TableSpec t, Txn txn) {
    Dataset<Row> out = conform(df, t).coalesce(1);
    if (!t.key.isEmpty()) {
      out = KeyCheck.checked(out.sortWithinPartitions(columns(t.key)), t, null);
    }
    out.write().mode(SaveMode.Overwrite).parquet(txn.stage(t.path()));
  }

  private static Column[] columns(List<String> names) {
    return names.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new);
  }

  /**
   * Writes the given partitions of a table into the transaction: one file per partition, rows
   * sorted by key, the key checked unique and not null within each partition as the rows are
   * written ({@link KeyCheck}); every expected partition that comes out empty is deleted on commit.
   */
  public static void writePartitions(Dataset<Row> df, TableSpec t, Txn txn, List<String> expectedPartitions)
      throws IOException {
    String part = t.partitionBy.get(0);
    Dataset<Row> out = conform(df, t).repartition(col(part));
    List<String> sortBy = new ArrayList<>(Arrays.asList(part));
    sortBy.addAll(t.key.stream().filter(k -> !k.equals(part)).toList());
    out = out.sortWithinPartitions(columns(sortBy));
    if (!t.key.isEmpty()) {
      // the check streams the sorted rows; the typed step forgets their order, so it is restated
      // (a pass over sorted rows) for the writer, which would otherwise sort again by partition only
      out = KeyCheck.checked(out, t, part).sortWithinPartitions(columns(sortBy));
    }
    out.write().mode(SaveMode.Overwrite).partitionBy(part).parquet(txn.stage(t.path()));
    txn.stagePartitions(t.path(), expectedPartitions);
  }

  /** Writes exactly one partition ({@code name=value}) of a table; an empty dataset deletes it. */
  public static void writePartition(Dataset<Row> df, TableSpec t, Txn txn, String value) throws IOException {
    writePartitions(df, t, txn, List.of(t.partitionBy.get(0) + "=" + value));
  }
}
