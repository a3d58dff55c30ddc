package baoxue.jobs.marts;

import static org.apache.spark.sql.functions.*;

import baoxue.marts.Rules;
import baoxue.pipeline.Metrics;
import baoxue.schema.Schemas;
import baoxue.spark.Tables;
import baoxue.transforms.Alerts;
import baoxue.transforms.AsOf;
import baoxue.transforms.Cohort;
import baoxue.transforms.CoreTransforms;
import baoxue.transforms.Hidden;
import baoxue.transforms.Reporting;
import baoxue.transforms.Sequences;
import baoxue.warehouse.Warehouse;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * What the marts need of the attendance history as of D, in one of two ways that give the same
 * rows (IncrementalMartsTest): {@link #full} from the whole record sequence, or {@link #incremental}
 * from the state carried from the previous delivery plus this delivery's records, reading the
 * history only for the students and days a late or corrected record touched, the students with a
 * dropout event (for their return) and the last school days of the ghost window.
 */
public final class SequenceFacts {
  /** state.students: last record and D's term counts per student. */
  public final Dataset<Row> students;
  /** state.unexcused_runs: every unexcused run with the record after it. */
  public final Dataset<Row> runs;
  /** state.reported: students with a record per school and school day of D's term. */
  public final Dataset<Row> reported;
  /** Attendance as of D, complete at least on the school days of the recent window. */
  public final Dataset<Row> recentAttendance;
  /** Record sequence, complete at least for the students with a dropout event in D's school year. */
  public final Dataset<Row> eventSequence;
  /** How they were computed, for the run log: "全量" or "增量（…）". */
  public final String how;

  private SequenceFacts(
      Dataset<Row> students, Dataset<Row> runs, Dataset<Row> reported, Dataset<Row> recentAttendance, Dataset<Row> eventSequence, String how) {
    this.students = students;
    this.runs = runs;
    this.reported = reported;
    this.recentAttendance = recentAttendance;
    this.eventSequence = eventSequence;
    this.how = how;
  }

  /** The term counts the rules read. */
  public Dataset<Row> term() {
    return Sequences.termCountsOf(students);
  }

  /** From the whole record sequence up to D. */
  public static SequenceFacts full(AsOfInputs in) {
    Metrics.addCount("marts_full", 1);
    Dataset<Row> sequence = Alerts.recordSequence(in.attendance, in.calendar).transform(baoxue.spark.Sessions::keep);
    return new SequenceFacts(
        Sequences.studentState(sequence).transform(baoxue.spark.Sessions::keep),
        Alerts.unexcusedRuns(sequence).transform(baoxue.spark.Sessions::keep),
        Reporting.reported(in.attendance, in.calendar),
        in.attendance,
        sequence,
        "全量");
  }

  /** Above this many students to recompute from history, a full computation is as cheap. */
  static final int MAX_RECOMPUTED = 200_000;

  /**
   * From the state of the previous delivery {@code previous} (its state.* partitions, which the
   * caller has checked were written) and the staged attendance of the deliveries after it.
   * {@code coreIsAsOf}: no delivery after D has reached the core layer, so core.attendance up to D
   * is the attendance as of D (the nightly case; not when earlier snapshots are recomputed). Null
   * when that cannot give the full result: a calendar delivered since, or too many students touched
   * by late records.
   */
  public static SequenceFacts incremental(
      SparkSession spark, Warehouse wh, AsOfInputs in, LocalDate previous, boolean coreIsAsOf, Rules rules) throws IOException {
    if (in.dates.size() != 1) {
      return null; // carried forward one night at a time; a set of dates is computed in full
    }
    LocalDate d = in.asOf;
    Dataset<Row> newCalendar =
        Tables.read(spark, wh, Schemas.staged("calendar")).where(col("delivery_date").gt(lit(previous)).and(col("delivery_date").leq(lit(d))));
    if (!newCalendar.isEmpty()) {
      return null; // school days of the past may have changed
    }
    Dataset<Row> prevStudents = state(spark, wh, "state.students", previous, d);
    Dataset<Row> prevRuns = state(spark, wh, "state.unexcused_runs", previous, d);
    Dataset<Row> prevReported = state(spark, wh, "state.reported", previous, d);
    Dataset<Row> schoolDays = in.calendar.where(col("is_school_day")).select(AsOf.COL, "date");

    // this delivery's records (the latest row per student and day within it)
    Dataset<Row> delta =
        CoreTransforms.attendance(AsOf.tag(in.stagedAttendance.where(col("delivery_date").gt(lit(previous))), d))
            .where(col("date").leq(AsOf.col()))
            .transform(baoxue.spark.Sessions::keep);
    Dataset<Row> added = delta.join(schoolDays, AsOf.keys("date")).select(AsOf.COL, "student_key", "school_code", "date", "status");
    // a record dated on or before the student's last one is late or a correction: that student's
    // summaries are recomputed from history, as are those of students with a dropout event
    Set<String> recompute = new LinkedHashSet<>();
    for (Row r :
        added.join(prevStudents.select(AsOf.COL, "student_key", "last_date"), AsOf.keys("student_key"))
            .where(col("date").leq(col("last_date")))
            .select("student_key")
            .distinct()
            .collectAsList()) {
      recompute.add(r.getString(0));
    }
    int late = recompute.size();
    for (Row r :
        Cohort.dropoutEvents(in.changes, rules.grace.pendingTransferDays)
            .where(col("event_on").geq(AsOf.yearStart()))
            .select("student_key")
            .distinct()
            .collectAsList()) {
      recompute.add(r.getString(0));
    }
    if (recompute.size() > MAX_RECOMPUTED) {
      return null;
    }
    List<Object> touched = new ArrayList<>();
    for (Row r : delta.select("date").distinct().collectAsList()) {
      touched.add(r.get(0));
    }
    List<Row> window = Hidden.recentSchoolDays(in.calendar, rules.grace.ghostWindowDays).agg(min("date")).collectAsList();
    Object windowStart = window.isEmpty() || window.get(0).isNullAt(0) ? d : window.get(0).get(0);

    Students recomputed = Students.of(spark, recompute);
    Column touchedDay = col("date").isin(touched.toArray());
    Column day = col("date").geq(lit(windowStart)).or(touchedDay);
    // only the rows of the keys (student, day) some rule needs again
    Dataset<Row> needed;
    Dataset<Row> core = Tables.read(spark, wh, Schemas.table("core.attendance")).where(col("date").leq(lit(d)));
    // (checked on the data too: a later delivery re-staged after a crash may have left its rows there)
    if (coreIsAsOf && core.where(col("delivery_date").gt(lit(d))).isEmpty()) {
      // the core layer holds exactly the deliveries up to D: its day partitions are read as they are
      needed = AsOf.tag(core.where(day).unionByName(recomputed.only(core.where(not(day)))), d).transform(baoxue.spark.Sessions::keep);
    } else {
      // a condition on the key keeps "the latest delivery wins" exact
      Dataset<Row> staged = in.stagedAttendance;
      needed =
          CoreTransforms.attendance(AsOf.tag(staged.where(day).unionByName(recomputed.only(staged.where(not(day)))), d))
              .where(col("date").leq(AsOf.col()))
              .transform(baoxue.spark.Sessions::keep);
    }
    Dataset<Row> history = Alerts.recordSequence(recomputed.only(needed), in.calendar).transform(baoxue.spark.Sessions::keep);

    Dataset<Row> cleanPrev = recomputed.without(prevStudents);
    Dataset<Row> cleanAdded = recomputed.without(added);
    Dataset<Row> students =
        Sequences.foldStudents(cleanPrev, cleanAdded).unionByName(Sequences.studentState(history)).transform(baoxue.spark.Sessions::keep);
    Dataset<Row> continued =
        Alerts.recordSequence(
            Sequences.lastAsRecords(cleanPrev.join(cleanAdded.select(AsOf.COL, "student_key").distinct(), AsOf.keys("student_key"), "left_semi"))
                .unionByName(cleanAdded),
            in.calendar);
    Dataset<Row> runs =
        Sequences.foldRuns(recomputed.without(prevRuns), continued).unionByName(Alerts.unexcusedRuns(history)).transform(baoxue.spark.Sessions::keep);
    Dataset<Row> reported =
        prevReported
            .where(col("date").geq(AsOf.termStart()).and(not(touchedDay)))
            .unionByName(Reporting.reported(needed.where(touchedDay), in.calendar));
    Metrics.addCount("marts_incremental", 1);
    Metrics.addCount("marts_recomputed_late", late);
    Metrics.addCount("marts_recomputed_events", recompute.size() - late);
    String how = String.format("增量（%d 个学生因迟交或更正、%d 个因辍学事件从历史重算）", late, recompute.size() - late);
    return new SequenceFacts(students, runs, reported, needed.where(col("date").geq(lit(windowStart))), history, how);
  }

  /**
   * The students sent back to their history. A county's night sends a few hundred, inlined in the
   * plans as a set of literals. A province's can send a hundred thousand (a hundred schools' late
   * files: measured 102,323 on the third day), and plans carrying that many literals are optimised,
   * serialised and shipped again in every job: above {@code baoxue.inlineKeys} (default 1000) the
   * keys are a cached table, joined. The same rows either way (IncrementalMartsTest runs both).
   */
  static final class Students {
    private final Column inline;
    private final Dataset<Row> table;

    private Students(Column inline, Dataset<Row> table) {
      this.inline = inline;
      this.table = table;
    }

    static Students of(SparkSession spark, Set<String> keys) {
      if (keys.size() <= Integer.getInteger("baoxue.inlineKeys", 1000)) {
        return new Students(col("student_key").isin(keys.toArray()), null);
      }
      List<Row> rows = new ArrayList<>(keys.size());
      for (String k : keys) {
        rows.add(RowFactory.create(k));
      }
      Dataset<Row> t =
          spark.createDataFrame(rows, new StructType().add("student_key", DataTypes.StringType, false)).transform(baoxue.spark.Sessions::keep);
      t.count();
      return new Students(null, broadcast(t));
    }

    /** The rows of these students. */
    Dataset<Row> only(Dataset<Row> d) {
      return table == null ? d.where(inline) : d.join(table, d.col("student_key").equalTo(table.col("student_key")), "left_semi");
    }

    /** The rows of the other students. */
    Dataset<Row> without(Dataset<Row> d) {
      return table == null ? d.where(not(inline)) : d.join(table, d.col("student_key").equalTo(table.col("student_key")), "left_anti");
    }
  }

  /** The state carried from {@code previous}, as the starting point of D. */
  private static Dataset<Row> state(SparkSession spark, Warehouse wh, String table, LocalDate previous, LocalDate d) throws IOException {
    return AsOf.tag(Tables.read(spark, wh, Schemas.table(table)).where(col("as_of").equalTo(lit(previous))).drop("as_of"), d);
  }
}
