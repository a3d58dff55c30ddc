package baoxue.transforms;

import static org.apache.spark.sql.functions.*;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/** Completeness and report timeliness (indicators.md "Completeness"; domain.md rule 7). */
public final class Reporting {
  private Reporting() {}

  /** Students with a record at the school, per school and school day of D's term up to D. */
  public static Dataset<Row> reported(Dataset<Row> attendance, Dataset<Row> calendar) {
    return attendance.join(termSchoolDays(calendar), AsOf.keys("date"))
        .groupBy(AsOf.columns("school_code", "date"))
        .agg(countDistinct("student_key").as("reported"));
  }

  private static Dataset<Row> termSchoolDays(Dataset<Row> calendar) {
    return calendar.where(col("is_school_day").and(col("date").between(AsOf.termStart(), AsOf.col()))).select(AsOf.COL, "date");
  }

  /**
   * Completeness per school and school day of D's term up to D: students with a record at the
   * school that day ({@link #reported}) ÷ students 在读 on the school's latest roster on or before that day.
   */
  public static Dataset<Row> completeness(Dataset<Row> roster, Dataset<Row> reported, Dataset<Row> calendar) {
    Dataset<Row> days = termSchoolDays(calendar);
    Dataset<Row> sizes =
        roster
            .where(col("snapshot_date").leq(AsOf.col()))
            .groupBy(AsOf.columns("school_code", "snapshot_date"))
            .agg(sum(when(col("status").equalTo("enrolled"), 1).otherwise(0)).cast("long").as("expected"));
    Dataset<Row> rosterFor =
        sizes.select(AsOf.COL, "school_code", "snapshot_date").join(days, AsOf.COL)
            .where(col("snapshot_date").leq(col("date")))
            .groupBy(AsOf.columns("school_code", "date"))
            .agg(max("snapshot_date").as("snapshot_date"));
    return rosterFor
        .join(sizes, AsOf.keys("school_code", "snapshot_date"))
        .join(reported, AsOf.keys("school_code", "date"), "left")
        .select(
            AsOf.col(),
            col("school_code"),
            col("date"),
            col("expected"),
            coalesce(col("reported"), lit(0L)).as("reported"),
            when(col("expected").gt(0), coalesce(col("reported"), lit(0L)).divide(col("expected"))).as("completeness"));
  }

  /**
   * Timeliness per school and month of D's school year: of the school days from the 1st to the
   * {@code schoolDay}th, how many had the school's attendance in a delivery dated by then (and by
   * the {@code townshipDay}th); on time when all had. A township is on time when all its schools
   * had by the {@code townshipDay}th. Null while the deadline is still ahead of D.
   * {@code arrivals}: school_code, date, first_delivery (earliest delivery carrying that day).
   */
  public static Dataset<Row> timeliness(
      Dataset<Row> arrivals, Dataset<Row> calendar, Dataset<Row> schools, int schoolDay, int townshipDay) {
    Dataset<Row> days =
        calendar
            .where(
                col("is_school_day")
                    .and(col("date").between(AsOf.yearStart(), AsOf.col()))
                    .and(dayofmonth(col("date")).leq(schoolDay)))
            .select(AsOf.col(), col("date"), date_format(col("date"), "yyyy-MM").as("month"));
    Dataset<Row> months = days.select(AsOf.COL, "month").distinct();
    Column schoolDeadline = make_date(year(col("_m1")), month(col("_m1")), lit(schoolDay));
    Column townDeadline = make_date(year(col("_m1")), month(col("_m1")), lit(townshipDay));
    Dataset<Row> grid =
        schools.select(AsOf.COL, "school_code", "township").join(months, AsOf.COL)
            .withColumn("_m1", to_date(concat(col("month"), lit("-01"))))
            .withColumn("school_deadline", schoolDeadline)
            .withColumn("township_deadline", townDeadline)
            .drop("_m1");
    Dataset<Row> expected = days.groupBy(AsOf.columns("month")).agg(count(lit(1)).cast("int").as("expected_days"));
    Dataset<Row> arrived =
        arrivals
            .join(days, AsOf.keys("date"))
            .withColumn("_m1", to_date(concat(col("month"), lit("-01"))))
            .groupBy(AsOf.columns("school_code", "month"))
            .agg(
                sum(when(col("first_delivery").leq(schoolDeadline), 1).otherwise(0)).cast("int").as("arrived_by_school_deadline"),
                sum(when(col("first_delivery").leq(townDeadline), 1).otherwise(0)).cast("int").as("arrived_by_township_deadline"));
    Dataset<Row> t =
        grid.join(expected, AsOf.keys("month"))
            .join(arrived, AsOf.keys("school_code", "month"), "left")
            .withColumn("arrived_by_school_deadline", coalesce(col("arrived_by_school_deadline"), lit(0)))
            .withColumn("arrived_by_township_deadline", coalesce(col("arrived_by_township_deadline"), lit(0)))
            .withColumn(
                "school_on_time",
                when(col("school_deadline").leq(AsOf.col()), col("arrived_by_school_deadline").geq(col("expected_days"))))
            .withColumn("_town_ok", col("arrived_by_township_deadline").geq(col("expected_days")));
    Column allTown = min(col("_town_ok").cast("int")).over(Window.partitionBy(AsOf.columns("township", "month"))).equalTo(1);
    return t.withColumn("township_on_time", when(col("township_deadline").leq(AsOf.col()), allTown))
        .select(
            AsOf.COL,
            "month",
            "school_code",
            "township",
            "school_deadline",
            "township_deadline",
            "expected_days",
            "arrived_by_school_deadline",
            "arrived_by_township_deadline",
            "school_on_time",
            "township_on_time");
  }
}
