package baoxue.jobs.marts;

import static org.apache.spark.sql.functions.*;

import baoxue.schema.Schemas;
import baoxue.spark.Tables;
import baoxue.transforms.CoreTransforms;
import baoxue.warehouse.Warehouse;
import java.io.IOException;
import baoxue.transforms.AsOf;
import java.time.LocalDate;
import java.util.List;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The core entities as they stood on each as-of date D of a set ({D} for a night, every pending
 * date of a backfill), tagged with as_of ({@link AsOf}): built from the staged deliveries dated D
 * or earlier (so a later correction never leaks into an earlier snapshot), and the roster
 * snapshots up to D.
 */
public final class AsOfInputs {
  /** The as-of dates, ascending. */
  public final List<LocalDate> dates;
  /** The latest of them (the night's D). */
  public final LocalDate asOf;
  public final Dataset<Row> calendar;
  public final Dataset<Row> schools;
  public final Dataset<Row> roster;
  public final Dataset<Row> attendance;
  public final Dataset<Row> arrivals;
  public final Dataset<Row> changes;
  public final Dataset<Row> interventions;
  public final Dataset<Row> inspections;
  /** The staged attendance rows of deliveries dated D or earlier (before corrections are applied), untagged, of the latest D. */
  public final Dataset<Row> stagedAttendance;

  /** Assembles inputs from datasets already tagged with their as-of dates (the warehouse reader below, or tests). */
  public AsOfInputs(
      List<LocalDate> dates,
      Dataset<Row> calendar,
      Dataset<Row> schools,
      Dataset<Row> roster,
      Dataset<Row> attendance,
      Dataset<Row> arrivals,
      Dataset<Row> changes,
      Dataset<Row> interventions,
      Dataset<Row> inspections,
      Dataset<Row> stagedAttendance) {
    this.dates = List.copyOf(new TreeSet<>(dates));
    this.asOf = this.dates.get(this.dates.size() - 1);
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

  /** Reads the warehouse as of one date D; {@code firstDelivery} bounds the calendar. */
  public static AsOfInputs read(SparkSession spark, Warehouse wh, LocalDate asOf, LocalDate firstDelivery) throws IOException {
    return read(spark, wh, List.of(asOf), firstDelivery);
  }

  /** Reads the warehouse as of each date of {@code dates}; {@code firstDelivery} bounds the calendar. */
  public static AsOfInputs read(SparkSession spark, Warehouse wh, List<LocalDate> dates, LocalDate firstDelivery) throws IOException {
    List<LocalDate> sorted = List.copyOf(new TreeSet<>(dates));
    LocalDate last = sorted.get(sorted.size() - 1);
    LocalDate first = firstDelivery.isBefore(sorted.get(0)) ? firstDelivery : sorted.get(0);
    // each input is read once and used by several rules: kept until the step ends
    // (the attendance is not: the incremental marts read only parts of it)
    Dataset<Row> att = staged(spark, wh, "attendance", last);
    return new AsOfInputs(
        sorted,
        CoreTransforms.calendarAsOf(spark, known(staged(spark, wh, "calendar", last), sorted), first, sorted)
            .transform(baoxue.spark.Sessions::keep),
        CoreTransforms.schools(known(staged(spark, wh, "schools", last), sorted)).transform(baoxue.spark.Sessions::keep),
        AsOf.known(Tables.read(spark, wh, Schemas.table("core.roster")).where(col("snapshot_date").leq(lit(last))), sorted, "snapshot_date")
            .transform(baoxue.spark.Sessions::keep),
        CoreTransforms.attendance(known(att, sorted)).where(col("date").leq(AsOf.col())).cache(),
        known(att, sorted).groupBy(AsOf.columns("school_code", "date")).agg(min("delivery_date").as("first_delivery")),
        CoreTransforms.changes(known(staged(spark, wh, "changes", last), sorted)).transform(baoxue.spark.Sessions::keep),
        CoreTransforms.interventions(known(staged(spark, wh, "interventions", last), sorted)).transform(baoxue.spark.Sessions::keep),
        CoreTransforms.inspections(known(staged(spark, wh, "inspections", last), sorted)).transform(baoxue.spark.Sessions::keep),
        att);
  }

  /** Each staged row once per as-of date it was delivered by. */
  private static Dataset<Row> known(Dataset<Row> staged, List<LocalDate> dates) {
    return AsOf.known(staged, dates, "delivery_date");
  }

  private static Dataset<Row> staged(SparkSession spark, Warehouse wh, String kind, LocalDate asOf) throws IOException {
    return Tables.read(spark, wh, Schemas.staged(kind)).where(col("delivery_date").leq(lit(asOf)));
  }
}
