package baoxue.transforms;

import static baoxue.transforms.Fixtures.*;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.*;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * The fold property of the carried summaries: for any split point P before D, folding the records
 * after P into the summaries of the sequence up to P gives the summaries of the whole sequence up
 * to D — across a term boundary, with runs open at P, a school change inside a run, a student
 * whose first record comes after P and one with nothing after P.
 */
class SequencesTest {
  static final Dataset<Row> CAL = calendar("2026-01-05", "2026-02-27", Set.of("2026-01-30"), Set.of("2026-02-01"));

  static Dataset<Row> history() {
    List<Object[]> rows = new ArrayList<>();
    rows.addAll(List.of(days("A", "X", "2026-01-26:u", "2026-01-27:u", "2026-01-28:p", "2026-01-29:u", "2026-01-30:u", "2026-02-01:u",
        "2026-02-02:u", "2026-02-03:e", "2026-02-04:u", "2026-02-05:u")));
    rows.addAll(List.of(days("B", "X", "2026-01-26:p", "2026-01-27:p", "2026-01-28:p", "2026-01-29:p", "2026-02-02:p", "2026-02-03:p")));
    rows.addAll(List.of(days("C", "X", "2026-01-27:u", "2026-01-28:u")));
    rows.addAll(List.of(days("C", "Y", "2026-01-29:u", "2026-02-02:u", "2026-02-03:p", "2026-02-05:e")));
    rows.addAll(List.of(days("D", "Y", "2026-02-03:u", "2026-02-04:u", "2026-02-05:u")));
    rows.addAll(List.of(days("E", "Y", "2026-01-26:u", "2026-01-27:e")));
    rows.addAll(List.of(days("F", "Y", "2026-01-28:u")));
    return attendance(rows.toArray(Object[][]::new));
  }

  @Test
  void foldingTheRecordsAfterAnySplitGivesTheSummariesOfTheWholeSequence() {
    LocalDate asOf = d("2026-02-05");
    Dataset<Row> all = Alerts.recordSequence(at(history(), asOf), at(CAL, asOf));
    List<String> students = strings(Sequences.studentState(all));
    List<String> runs = strings(Alerts.unexcusedRuns(all));
    assertTrue(runs.size() >= 6, runs.toString());
    for (String split : List.of("2026-01-26", "2026-01-28", "2026-01-29", "2026-02-02", "2026-02-04")) {
      LocalDate p = d(split);
      Dataset<Row> before = Alerts.recordSequence(at(history(), p), at(CAL, p));
      Dataset<Row> state = carried(Sequences.studentState(before), asOf);
      Dataset<Row> added = all.where(col("date").gt(lit(p))).select("as_of", "student_key", "school_code", "date", "status");
      Dataset<Row> continued =
          Alerts.recordSequence(
              Sequences.lastAsRecords(state.join(added.select("as_of", "student_key").distinct(), new String[] {"as_of", "student_key"}, "left_semi"))
                  .unionByName(added),
              at(CAL, asOf));
      assertEquals(students, strings(Sequences.foldStudents(state, added)), "students, split at " + split);
      assertEquals(runs, strings(Sequences.foldRuns(carried(Alerts.unexcusedRuns(before), asOf), continued)), "runs, split at " + split);
    }
  }

  @Test
  void aNewTermStartsTheCountsAgainEvenForAStudentWithoutNewRecords() {
    LocalDate p = d("2026-01-29");
    Dataset<Row> state = carried(Sequences.studentState(Alerts.recordSequence(at(history(), p), at(CAL, p))), d("2026-02-02"));
    Dataset<Row> folded = Sequences.foldStudents(state, at(history().limit(0), d("2026-02-02")));
    assertEquals(List.of(), strings(Sequences.termCountsOf(folded)));
    assertEquals(List.of("E 2026-01-27 excused 2026-02-01 0"), strings(folded.where(col("student_key").equalTo("E"))
        .select("student_key", "last_date", "last_status", "term_start", "term_days")));
  }

  static List<String> strings(Dataset<Row> df) {
    List<String> out = new ArrayList<>();
    for (Row r : df.collectAsList()) {
      out.add(r.mkString(" "));
    }
    out.sort(null);
    return out;
  }
}
