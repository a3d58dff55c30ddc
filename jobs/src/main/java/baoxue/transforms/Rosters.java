package baoxue.transforms;

import static org.apache.spark.sql.functions.*;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/** Which roster says what as of D (inputs tagged with as_of, {@link AsOf}). */
public final class Rosters {
  private Rosters() {}

  /** Each school's latest roster snapshot on or before D (all its rows). */
  public static Dataset<Row> latest(Dataset<Row> roster) {
    Dataset<Row> r = roster.where(col("snapshot_date").leq(AsOf.col()));
    return r.withColumn("_latest", max("snapshot_date").over(Window.partitionBy(AsOf.columns("school_code"))))
        .where(col("snapshot_date").equalTo(col("_latest")))
        .drop("_latest");
  }

  /**
   * Where each student stands as of D: their row on the schools' latest rosters, preferring 在读,
   * then the most recent snapshot, then the lower school code. {@code active} = 在读 there.
   */
  public static Dataset<Row> placement(Dataset<Row> latestRosters) {
    return latestRosters
        .withColumn(
            "_n",
            row_number()
                .over(
                    Window.partitionBy(AsOf.columns("student_key"))
                        .orderBy(
                            col("status").equalTo("enrolled").desc(),
                            col("snapshot_date").desc(),
                            col("school_code"))))
        .where(col("_n").equalTo(1))
        .drop("_n")
        .withColumn("active", col("status").equalTo("enrolled"));
  }
}
