package baoxue.jobs.marts;

import static org.apache.spark.sql.functions.*;

import baoxue.schema.Schemas;
import baoxue.spark.Tables;
import baoxue.transforms.CoreTransforms;
import baoxue.warehouse.Warehouse;
import java.io.IOException;
import java.time.LocalDate;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The core entities as they stood on D: built from the staged deliveries dated D or earlier (so a
 * later correction never leaks into an earlier snapshot), and the roster snapshots up to D.
 */
public final class AsOfInputs {
  public final LocalDate asOf;
  public final Dataset<Row> calendar;
  public final Dataset<Row> schools;
  public final Dataset<Row> roster;
  public final Dataset<Row> attendance;
  public final Dataset<Row> arrivals;
  public final Dataset<Row> changes;
  public final Dataset<Row> interventions;
  public final Dataset<Row> inspections;
  /** The staged attendance rows of deliveries dated D or earlier (before corrections are applied). */
  public final Dataset<Row> stagedAttendance;

  /** Assembles inputs from datasets already as of D (the warehouse reader below, or tests). */
  public AsOfInputs(
      LocalDate asOf,
      Dataset<Row> calendar,
      Dataset<Row> schools,
      Dataset<Row> roster,
      Dataset<Row> attendance,
      Dataset<Row> arrivals,
      Dataset<Row> changes,
      Dataset<Row> interventions,
      Dataset<Row> inspections,
      Dataset<Row> stagedAttendance) {
    this.asOf = asOf;
    this.calendar = calendar;
    this.schools = schools;
    this.roster = roster;
    this.attendance = attendance;
    this.arrivals = arrivals;
    this.changes = changes;
    this.interventions = interventions;
    this.inspections = inspections;
    this.stagedAttendance = stagedAttendance;
  }

  /** Reads the warehouse as of D; {@code firstDelivery} bounds the calendar. */
  public static AsOfInputs read(SparkSession spark, Warehouse wh, LocalDate asOf, LocalDate firstDelivery) throws IOException {
    // each input is read once per snapshot and used by several rules: cached until the step ends
    // (the staged attendance is not: the incremental marts read only parts of it)
    Dataset<Row> att = staged(spark, wh, "attendance", asOf);
    return new AsOfInputs(
        asOf,
        CoreTransforms.calendar(spark, staged(spark, wh, "calendar", asOf), firstDelivery.isBefore(asOf) ? firstDelivery : asOf, asOf)
            .transform(baoxue.spark.Sessions::keep),
        CoreTransforms.schools(staged(spark, wh, "schools", asOf)).transform(baoxue.spark.Sessions::keep),
        Tables.read(spark, wh, Schemas.table("core.roster")).where(col("snapshot_date").leq(lit(asOf))).transform(baoxue.spark.Sessions::keep),
        CoreTransforms.attendance(att).where(col("date").leq(lit(asOf))).cache() /* lazy: the incremental marts read only parts of it */,
        att.groupBy("school_code", "date").agg(min("delivery_date").as("first_delivery")),
        CoreTransforms.changes(staged(spark, wh, "changes", asOf)).transform(baoxue.spark.Sessions::keep),
        CoreTransforms.interventions(staged(spark, wh, "interventions", asOf)).transform(baoxue.spark.Sessions::keep),
        CoreTransforms.inspections(staged(spark, wh, "inspections", asOf)).transform(baoxue.spark.Sessions::keep),
        att);
  }

  private static Dataset<Row> staged(SparkSession spark, Warehouse wh, String kind, LocalDate asOf) throws IOException {
    return Tables.read(spark, wh, Schemas.staged(kind)).where(col("delivery_date").leq(lit(asOf)));
  }
}
