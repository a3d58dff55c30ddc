package baoxue.transforms;

import static baoxue.transforms.Fixtures.*;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.*;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** Each rule of indicators.md alone, on a few inline rows: the edge cases the spec names. */
class MartRulesTest {
  static final Dataset<Row> CAL =
      calendar(
          "2025-09-01",
          "2025-11-30",
          Set.of("2025-10-01", "2025-10-02", "2025-10-03", "2025-10-06", "2025-10-07", "2025-10-08"),
          Set.of("2025-09-28", "2025-10-11"));

  static List<String> strings(Dataset<Row> df, String... cols) {
    List<String> out = new ArrayList<>();
    for (Row r : df.selectExpr(cols).collectAsList()) {
      List<String> cells = new ArrayList<>();
      for (int i = 0; i < r.size(); i++) {
        cells.add(String.valueOf(r.get(i)));
      }
      out.add(String.join(" ", cells));
    }
    out.sort(null);
    return out;
  }

  static Dataset<Row> alertsOf(Dataset<Row> att, Dataset<Row> changes, LocalDate asOf) {
    Dataset<Row> seq = Alerts.recordSequence(at(att, asOf), at(CAL, asOf));
    return Alerts.resolve(
        Alerts.openAlerts(Alerts.unexcusedRuns(seq), 15),
        Cohort.dropoutEvents(at(changes, asOf), 30),
        Cohort.normalMovements(at(changes, asOf)));
  }

  @Test
  void aStreakRunsAcrossTheHolidayAndTheMakeUpSundayAndIgnoresHolidayRecords() {
    Dataset<Row> att =
        attendance(
            days("A", "X", "2025-09-25:p", "2025-09-26:u", "2025-09-28:u", "2025-09-29:u", "2025-09-30:u", "2025-10-03:p",
                "2025-10-09:u", "2025-10-10:p"));
    assertEquals(
        List.of("2025-09-26 2025-09-28 2025-10-11 5 returned 2025-10-10 false"),
        strings(alertsOf(att, noChanges(), d("2025-10-17")), "streak_start", "opened_on", "due_on", "streak_days", "resolution", "closed_on", "overdue"));
  }

  @Test
  void anOpenAlertIsOverdueOnlyAfterItsDueDate() {
    Dataset<Row> att = attendance(days("A", "X", "2025-09-02:u", "2025-09-03:u"));
    assertEquals(List.of("open false"), strings(alertsOf(att, noChanges(), d("2025-09-17")), "resolution", "overdue"));
    assertEquals(List.of("open true"), strings(alertsOf(att, noChanges(), d("2025-09-18")), "resolution", "overdue"));
    assertEquals(List.of(), strings(alertsOf(attendance(days("A", "X", "2025-09-02:u", "2025-09-03:e")), noChanges(), d("2025-09-18")), "resolution"));
  }

  @Test
  void onTheSameDayADropoutBeatsAMovementWhichBeatsTheNextRecord() {
    Dataset<Row> att = attendance(days("A", "X", "2025-09-02:u", "2025-09-03:u", "2025-09-05:p"));
    Dataset<Row> dropoutSameDay = changes(new Object[] {"c1", "A", "dropout", "2025-09-05", "pending"});
    assertEquals(List.of("dropout 2025-09-05"), strings(alertsOf(att, dropoutSameDay, d("2025-09-30")), "resolution", "closed_on"));
    Dataset<Row> movedSameDay = changes(new Object[] {"c1", "A", "transfer_out", "2025-09-05", "approved"});
    assertEquals(List.of("moved 2025-09-05"), strings(alertsOf(att, movedSameDay, d("2025-09-30")), "resolution", "closed_on"));
    Dataset<Row> both =
        changes(new Object[] {"c1", "A", "transfer_out", "2025-09-05", "approved"}, new Object[] {"c2", "A", "dropout", "2025-09-05", "approved"});
    assertEquals(List.of("dropout 2025-09-05"), strings(alertsOf(att, both, d("2025-09-30")), "resolution", "closed_on"));
    Dataset<Row> rejected = changes(new Object[] {"c1", "A", "dropout", "2025-09-04", "rejected"});
    assertEquals(List.of("returned 2025-09-05"), strings(alertsOf(att, rejected, d("2025-09-30")), "resolution", "closed_on"));
    Dataset<Row> excused = attendance(days("A", "X", "2025-09-02:u", "2025-09-03:u", "2025-09-04:e"));
    assertEquals(List.of("excused 2025-09-04"), strings(alertsOf(excused, noChanges(), d("2025-09-30")), "resolution", "closed_on"));
  }

  @Test
  void aTransferPending29DaysIsNotYetADropoutAt30ItIs() {
    Dataset<Row> c = changes(new Object[] {"c1", "A", "transfer_out", "2025-09-05", "pending"});
    assertEquals(List.of(), strings(Cohort.dropoutEvents(at(c, d("2025-10-04")), 30), "student_key"));
    assertEquals(List.of("A 2025-09-05 transfer_pending"), strings(Cohort.dropoutEvents(at(c, d("2025-10-05")), 30), "student_key", "event_on", "event"));
    Dataset<Row> rejected = changes(new Object[] {"c1", "A", "transfer_out", "2025-09-05", "rejected"});
    assertEquals(List.of("A 2025-09-05 transfer_rejected"), strings(Cohort.dropoutEvents(at(rejected, d("2025-09-06")), 30), "student_key", "event_on", "event"));
    Dataset<Row> approved = changes(new Object[] {"c1", "A", "transfer_out", "2025-09-05", "approved"});
    assertEquals(List.of(), strings(Cohort.dropoutEvents(at(approved, d("2025-12-01")), 30), "student_key"));
  }

  static Dataset<Row> outcomesOf(Dataset<Row> roster, Dataset<Row> att, Dataset<Row> changes, LocalDate asOf) {
    Dataset<Row> seq = Alerts.recordSequence(at(att, asOf), at(CAL, asOf));
    return Cohort.outcomes(
        Cohort.baseCohort(at(roster, asOf), at(changes, asOf)),
        Cohort.dropoutEvents(at(changes, asOf), 30),
        Cohort.returnCandidates(seq, at(changes, asOf)),
        Cohort.normalMovements(at(changes, asOf)));
  }

  @Test
  void aStudentWhoReturnsAfterADropoutCountsAsReturnedNotDropout() {
    Dataset<Row> roster = roster(new Object[] {"A", "X", 8, "enrolled", "2025-09-01"}, new Object[] {"B", "X", 8, "enrolled", "2025-09-01", true});
    Dataset<Row> c = changes(new Object[] {"c1", "A", "dropout", "2025-09-10", "pending"});
    Dataset<Row> att = attendance(days("A", "X", "2025-09-09:u", "2025-09-15:p"));
    assertEquals(List.of("A true false"), strings(outcomesOf(roster, att, c, d("2025-09-12")), "student_key", "is_dropout", "is_returned"),
        "B is outside the base cohort (户口在外); A is a dropout before the return");
    assertEquals(List.of("A false true 2025-09-15"),
        strings(outcomesOf(roster, att, c, d("2025-09-15")), "student_key", "is_dropout", "is_returned", "returned_on"));
    Dataset<Row> resumed = changes(new Object[] {"c1", "A", "dropout", "2025-09-10", "approved"}, new Object[] {"c2", "A", "resumption", "2025-09-20", "approved"});
    assertEquals(List.of("A false true 2025-09-20"),
        strings(outcomesOf(roster, attendance(days("A", "X", "2025-09-09:u")), resumed, d("2025-09-22")), "student_key", "is_dropout", "is_returned", "returned_on"));
  }

  @Test
  void theBaseCohortIsFixedAtTheFirstRosterAndExcludesStudyElsewhere() {
    Dataset<Row> roster =
        roster(
            new Object[] {"A", "X", 7, "enrolled", "2025-09-01"},
            new Object[] {"B", "X", 7, "enrolled", "2025-09-01"},
            new Object[] {"C", "X", 7, "suspended", "2025-09-01"},
            new Object[] {"A", "X", 8, "enrolled", "2025-09-15"},
            new Object[] {"D", "X", 7, "enrolled", "2025-09-15"});
    Dataset<Row> c = changes(new Object[] {"c1", "B", "study_elsewhere", "2025-09-08", "approved"});
    assertEquals(List.of("A 7 2025-09-01"), strings(Cohort.baseCohort(at(roster, d("2025-10-01")), at(c, d("2025-10-01"))), "student_key", "grade", "base_snapshot_date"));
  }

  @Test
  void aStudentWhoMovesSchoolWithoutARecordIsNotVanishedButOneWhoIsNowhereIs() {
    Dataset<Row> roster =
        roster(
            new Object[] {"A", "X", 4, "enrolled", "2025-09-01"},
            new Object[] {"C", "X", 4, "enrolled", "2025-09-01"},
            new Object[] {"D", "X", 4, "enrolled", "2025-09-01"},
            new Object[] {"E", "X", 4, "enrolled", "2025-09-01"},
            new Object[] {"E", "X", 4, "enrolled", "2025-09-15"},
            new Object[] {"A", "Y", 4, "enrolled", "2025-09-15"});
    Dataset<Row> c = changes(new Object[] {"c1", "D", "transfer_in", "2025-09-12", "approved"});
    LocalDate asOf = d("2025-09-20");
    Dataset<Row> latest = Rosters.latest(at(roster, asOf));
    Dataset<Row> outcomes = outcomesOf(roster, attendance(), c, asOf);
    assertEquals(
        List.of("C 2025-09-01"),
        strings(Hidden.suspectedVanished(outcomes, at(roster, asOf), latest, at(c, asOf)), "student_key", "since"),
        "A is 在读 at Y, D has a change record, E is still on X's roster");
  }

  @Test
  void aSuspectedDropoutByOpenAlertNeedsFifteenDaysAndNoDecision() {
    Dataset<Row> roster = roster(new Object[] {"A", "X", 9, "enrolled", "2025-09-01"});
    Dataset<Row> att = attendance(days("A", "X", "2025-09-25:u", "2025-09-26:u", "2025-09-29:u"));
    for (String[] asOfAndExpected : new String[][] {{"2025-10-09", ""}, {"2025-10-10", "A"}}) {
      LocalDate asOf = d(asOfAndExpected[0]);
      Dataset<Row> alerts = Alerts.caseWork(alertsOf(att, noChanges(), asOf), at(interventions(), asOf), 3);
      List<String> got = strings(Hidden.suspectedByOpenAlert(outcomesOf(roster, att, noChanges(), asOf), alerts, 15), "student_key");
      assertEquals(asOfAndExpected[1].isEmpty() ? List.of() : List.of(asOfAndExpected[1]), got, asOfAndExpected[0]);
    }
  }

  @Test
  void aSchoolThatReportedFewerThanTenOfTheLastTwentyDaysProducesNoGhosts() {
    // school X reported 9 days, school Y 10 days; G and H never appear in attendance
    List<Object[]> rows = new ArrayList<>();
    String[] daysX = {"2025-09-01", "2025-09-02", "2025-09-03", "2025-09-04", "2025-09-05", "2025-09-08", "2025-09-09", "2025-09-10", "2025-09-11"};
    for (String x : daysX) {
      rows.add(new Object[] {"P", "X", x, "present"});
      rows.add(new Object[] {"Q", "Y", x, "present"});
    }
    rows.add(new Object[] {"Q", "Y", "2025-09-12", "present"});
    Dataset<Row> att = attendance(rows.toArray(new Object[0][]));
    Dataset<Row> roster =
        roster(
            new Object[] {"P", "X", 3, "enrolled", "2025-09-01"},
            new Object[] {"G", "X", 3, "enrolled", "2025-09-01"},
            new Object[] {"Q", "Y", 3, "enrolled", "2025-09-01"},
            new Object[] {"H", "Y", 3, "enrolled", "2025-09-01"},
            new Object[] {"K", "Y", 3, "dropped_out", "2025-09-01"});
    LocalDate asOf = d("2025-09-12");
    assertEquals(
        List.of("H Y"),
        strings(Hidden.ghostsBySilence(Rosters.latest(at(roster, asOf)), at(att, asOf), at(CAL, asOf), 20, 10), "student_key", "school_code"));
  }

  @Test
  void chronicAbsenceNeedsTenPercentOfAtLeastTenRecordedDays() {
    Dataset<Row> roster = roster(new Object[] {"A", "X", 5, "enrolled", "2025-09-01"}, new Object[] {"B", "X", 5, "enrolled", "2025-09-01"},
        new Object[] {"C", "X", 5, "enrolled", "2025-09-01"});
    Dataset<Row> att =
        attendance(
            concat(
                days("A", "X", "2025-09-01:e", "2025-09-02:p", "2025-09-03:p", "2025-09-04:p", "2025-09-05:p", "2025-09-08:p", "2025-09-09:p",
                    "2025-09-10:p", "2025-09-11:p", "2025-09-12:p"),
                days("B", "X", "2025-09-01:e", "2025-09-02:p", "2025-09-03:p", "2025-09-04:p", "2025-09-05:p", "2025-09-08:p", "2025-09-09:p",
                    "2025-09-10:p", "2025-09-11:p", "2025-09-12:p", "2025-09-15:p"),
                days("C", "X", "2025-09-01:u", "2025-09-02:u", "2025-09-03:p")));
    LocalDate asOf = d("2025-09-15");
    Dataset<Row> placement = Rosters.placement(Rosters.latest(at(roster, asOf)));
    assertEquals(
        List.of("A"),
        strings(Hidden.chronicAbsence(placement, baoxue.transforms.Sequences.termCounts(Alerts.recordSequence(at(att, asOf), at(CAL, asOf))), 0.10, 10), "student_key"),
        "A: 1 of 10 days; B: 1 of 11 (9.1 %); C: fewer than 10 recorded days");
  }

  @Test
  void aDropoutAlertIsCompliantOnlyWithThreeVisitsALeaderVisitAndATimelyReport() {
    Dataset<Row> att = attendance(days("A", "X", "2025-09-10:u", "2025-09-11:u", "2025-09-12:u"));
    Dataset<Row> c = changes(new Object[] {"c1", "A", "dropout", "2025-09-23", "pending"});
    LocalDate asOf = d("2025-10-01");
    Dataset<Row> alerts = alertsOf(att, c, asOf);
    Dataset<Row> full =
        interventions(
            new Object[] {"A", "2025-09-11", "home_visit"},
            new Object[] {"A", "2025-09-13", "home_visit"},
            new Object[] {"A", "2025-09-15", "home_visit"},
            new Object[] {"A", "2025-09-17", "leader_visit"},
            new Object[] {"A", "2025-09-22", "dropout_report"},
            new Object[] {"A", "2025-09-30", "home_visit"});
    assertEquals(List.of("dropout 3 true true true"),
        strings(Alerts.caseWork(alerts, at(full, asOf), 3), "resolution", "home_visits", "leader_visit", "report_filed", "compliant"),
        "the visit after closed_on does not count");
    Dataset<Row> lateChange = changes(new Object[] {"c1", "A", "dropout", "2025-09-30", "pending"});
    Dataset<Row> late =
        interventions(
            new Object[] {"A", "2025-09-11", "home_visit"},
            new Object[] {"A", "2025-09-13", "home_visit"},
            new Object[] {"A", "2025-09-15", "home_visit"},
            new Object[] {"A", "2025-09-17", "leader_visit"},
            new Object[] {"A", "2025-09-27", "dropout_report"});
    assertEquals(List.of("dropout true false"),
        strings(Alerts.caseWork(alertsOf(att, lateChange, asOf), at(late, asOf), 3), "resolution", "report_filed", "compliant"),
        "a 流失报告 after due_on (09-25) is filed but not compliant");
    Dataset<Row> twoVisits = full.where(col("date").notEqual(java.sql.Date.valueOf("2025-09-15")));
    assertEquals(List.of("2 false"), strings(Alerts.caseWork(alerts, at(twoVisits, asOf), 3), "home_visits", "compliant"));
  }

  static Object[][] concat(Object[][]... parts) {
    List<Object[]> out = new ArrayList<>();
    for (Object[][] p : parts) {
      out.addAll(List.of(p));
    }
    return out.toArray(new Object[0][]);
  }

  /**
   * A late school: 杜集's days 09-15 to 09-19 reach the bureau only with the 09-24 delivery (after
   * the 23rd, before the township's 25th), 柳河's 09-22 and 09-23 only on 09-26. The on-time
   * school and the late one's township are on time; 柳河 and its township are not. Before a
   * deadline the answer is not yet known (null), not "late".
   */
  @Test
  void aLateSchoolMissesItsDeadlineAndALaterOneItsTownships() {
    List<Row> rows = new ArrayList<>();
    rows.addAll(arrivals(CAL, "A", "2025-09-01", "2025-10-17", null));
    rows.addAll(arrivals(CAL, "B", "2025-09-01", "2025-09-12", null));
    rows.addAll(arrivals(CAL, "B", "2025-09-15", "2025-09-19", "2025-09-24"));
    rows.addAll(arrivals(CAL, "B", "2025-09-22", "2025-10-17", null));
    rows.addAll(arrivals(CAL, "C", "2025-09-01", "2025-09-19", null));
    rows.addAll(arrivals(CAL, "C", "2025-09-22", "2025-09-23", "2025-09-26"));
    rows.addAll(arrivals(CAL, "C", "2025-09-24", "2025-10-17", null));
    Dataset<Row> arrivals = arrivalsOf(rows);
    Dataset<Row> schools = schools(new String[] {"A", "新庄镇"}, new String[] {"B", "新庄镇"}, new String[] {"C", "柳河镇"});
    String[] cols = {"school_code", "expected_days", "arrived_by_school_deadline", "arrived_by_township_deadline", "school_on_time", "township_on_time"};
    assertEquals(
        List.of("A 17 17 17 true true", "B 17 12 17 false true", "C 17 15 15 false false"),
        strings(Reporting.timeliness(at(arrivals.where("first_delivery <= DATE '2025-10-17'"), d("2025-10-17")), at(CAL, d("2025-10-17")), at(schools, d("2025-10-17")), 23, 25).where("month = '2025-09'"), cols));
    assertEquals(
        List.of("A 17 17 17 true null", "B 17 12 17 false null", "C 17 15 15 false null"),
        strings(Reporting.timeliness(at(arrivals.where("first_delivery <= DATE '2025-09-24'"), d("2025-09-24")), at(CAL, d("2025-09-24")), at(schools, d("2025-09-24")), 23, 25).where("month = '2025-09'"), cols),
        "on 09-24 the schools' deadline has passed, the townships' not yet");
    assertEquals(
        List.of("A 15 15 15 null null", "B 15 10 10 null null", "C 15 15 15 null null"),
        strings(Reporting.timeliness(at(arrivals.where("first_delivery <= DATE '2025-09-19'"), d("2025-09-19")), at(CAL, d("2025-09-19")), at(schools, d("2025-09-19")), 23, 25).where("month = '2025-09'"), cols),
        "on 09-19 both deadlines are ahead: the days arrived so far, no verdict");
  }
}
