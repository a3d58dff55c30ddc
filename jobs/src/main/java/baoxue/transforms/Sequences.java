package baoxue.transforms;

import static org.apache.spark.sql.functions.*;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What the rules need of each student's record sequence, as summaries that can be carried from
 * one delivery to the next (docs/performance.md "增量集市"): the last record, the counts of D's
 * term, and the unexcused runs. Each summary is computed from a sequence by one function here;
 * the fold functions extend a summary of the sequence up to the previous delivery with the new
 * records that all come after it, and give exactly what the function gives on the whole sequence
 * (IncrementalMartsTest).
 */
public final class Sequences {
  private Sequences() {}

  /** Last record of each sequence: student_key, last_date, last_status, last_school. */
  public static Dataset<Row> lastRecords(Dataset<Row> sequence) {
    return sequence
        .groupBy(AsOf.columns("student_key"))
        .agg(
            max("date").as("last_date"),
            max_by(col("status"), col("date")).as("last_status"),
            max_by(col("school_code"), col("date")).as("last_school"));
  }

  /**
   * Counts of D's term (term start to D): term_days, term_excused, term_unexcused,
   * term_first_absence; only students with a record in the term.
   */
  public static Dataset<Row> termCounts(Dataset<Row> sequence) {
    return sequence
        .where(col("date").between(AsOf.termStart(), AsOf.col()))
        .groupBy(AsOf.columns("student_key"))
        .agg(
            count(lit(1)).as("term_days"),
            sum(when(col("status").equalTo("excused"), 1L).otherwise(0L)).as("term_excused"),
            sum(when(col("status").equalTo("unexcused"), 1L).otherwise(0L)).as("term_unexcused"),
            min(when(col("status").notEqual("present"), col("date"))).as("term_first_absence"));
  }

  /** The carried per-student state (state.students without as_of) of a whole sequence. */
  public static Dataset<Row> studentState(Dataset<Row> sequence) {
    return lastRecords(sequence)
        .join(termCounts(sequence), AsOf.keys("student_key"), "left")
        .select(
            AsOf.col(),
            col("student_key"),
            col("last_date"),
            col("last_status"),
            col("last_school"),
            AsOf.termStart().as("term_start"),
            coalesce(col("term_days"), lit(0L)).as("term_days"),
            coalesce(col("term_excused"), lit(0L)).as("term_excused"),
            coalesce(col("term_unexcused"), lit(0L)).as("term_unexcused"),
            col("term_first_absence"));
  }

  /** The term counts the rules read, from a carried state (students with a record in the term). */
  public static Dataset<Row> termCountsOf(Dataset<Row> state) {
    return state
        .where(col("term_days").gt(0))
        .select(AsOf.COL, "student_key", "term_days", "term_excused", "term_unexcused", "term_first_absence");
  }

  /**
   * The state's last records as sequence rows (student_key, school_code, date, status): the point
   * a fold continues from.
   */
  public static Dataset<Row> lastAsRecords(Dataset<Row> state) {
    return state.select(
        AsOf.col(), col("student_key"), col("last_school").as("school_code"), col("last_date").as("date"), col("last_status").as("status"));
  }

  /**
   * Folds new records into the per-student state of the previous delivery. {@code added} are
   * sequence rows of school days, each dated after the student's last_date in {@code previous};
   * students without new records keep their state, with the term counts dropped when D is in
   * another term than the state.
   */
  public static Dataset<Row> foldStudents(Dataset<Row> previous, Dataset<Row> added) {
    Column sameTerm = col("term_start").equalTo(AsOf.termStart());
    Dataset<Row> carried =
        previous.select(
            AsOf.col(),
            col("student_key"),
            col("last_date"),
            col("last_status"),
            col("last_school"),
            AsOf.termStart().as("term_start"),
            when(sameTerm, col("term_days")).otherwise(lit(0L)).as("term_days"),
            when(sameTerm, col("term_excused")).otherwise(lit(0L)).as("term_excused"),
            when(sameTerm, col("term_unexcused")).otherwise(lit(0L)).as("term_unexcused"),
            when(sameTerm, col("term_first_absence")).as("term_first_absence"));
    Dataset<Row> fresh = studentState(added);
    Dataset<Row> o = carried.as("o");
    Dataset<Row> n = fresh.as("n");
    return o.join(n, col("o.as_of").equalTo(col("n.as_of")).and(col("o.student_key").equalTo(col("n.student_key"))), "full_outer")
        .select(
            coalesce(col("n.as_of"), col("o.as_of")).as(AsOf.COL),
            coalesce(col("n.student_key"), col("o.student_key")).as("student_key"),
            coalesce(col("n.last_date"), col("o.last_date")).as("last_date"),
            coalesce(col("n.last_status"), col("o.last_status")).as("last_status"),
            coalesce(col("n.last_school"), col("o.last_school")).as("last_school"),
            coalesce(col("n.term_start"), col("o.term_start")).as("term_start"),
            coalesce(col("o.term_days"), lit(0L)).plus(coalesce(col("n.term_days"), lit(0L))).as("term_days"),
            coalesce(col("o.term_excused"), lit(0L)).plus(coalesce(col("n.term_excused"), lit(0L))).as("term_excused"),
            coalesce(col("o.term_unexcused"), lit(0L)).plus(coalesce(col("n.term_unexcused"), lit(0L))).as("term_unexcused"),
            least(col("o.term_first_absence"), col("n.term_first_absence")).as("term_first_absence"));
  }

  /**
   * Folds new records into the unexcused runs of the previous delivery. {@code continued} is the
   * record sequence (Alerts.recordSequence) of the students with new records, starting at their
   * previous last record (lastAsRecords), so the run that was open at that record continues and
   * the run before the new records learns its next record; all other runs are kept as they were.
   */
  public static Dataset<Row> foldRuns(Dataset<Row> previousRuns, Dataset<Row> continued) {
    Dataset<Row> touched = continued.select(AsOf.COL, "student_key").distinct();
    // a run without a next record ends at the student's last record: the new records continue it
    Dataset<Row> open = previousRuns.where(col("next_date").isNull()).join(touched, AsOf.keys("student_key"), "left_semi");
    Dataset<Row> kept =
        previousRuns.join(open.select(AsOf.col(), col("student_key"), col("streak_start"), lit(true).as("_open")), AsOf.keys("student_key", "streak_start"), "left")
            .where(col("_open").isNull())
            .drop("_open");
    Dataset<Row> m = Alerts.unexcusedRuns(continued).as("m");
    Dataset<Row> o = open.as("o");
    Dataset<Row> extended =
        m.join(
                o,
                col("m.as_of").equalTo(col("o.as_of"))
                    .and(col("m.student_key").equalTo(col("o.student_key")))
                    .and(col("m.streak_start").equalTo(col("o.streak_last"))),
                "left")
            .select(
                col("m.as_of").as(AsOf.COL),
                col("m.student_key").as("student_key"),
                coalesce(col("o.streak_start"), col("m.streak_start")).as("streak_start"),
                col("m.streak_last").as("streak_last"),
                when(col("o.student_key").isNull(), col("m.streak_days"))
                    .otherwise(col("o.streak_days").plus(col("m.streak_days")).minus(1))
                    .cast("int")
                    .as("streak_days"),
                coalesce(col("o.school_code"), col("m.school_code")).as("school_code"),
                coalesce(col("o.opened_on"), col("m.opened_on")).as("opened_on"),
                col("m.next_date").as("next_date"),
                col("m.next_status").as("next_status"));
    return kept.unionByName(extended);
  }
}
