package baoxue.jobs.marts;

import static org.apache.spark.sql.functions.*;

import baoxue.marts.Rules;
import baoxue.transforms.Alerts;
import baoxue.transforms.Cohort;
import baoxue.transforms.Hidden;
import baoxue.transforms.Indicators;
import baoxue.transforms.Reporting;
import baoxue.transforms.RiskScore;
import baoxue.transforms.Rosters;
import baoxue.transforms.AsOf;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The as-of marts of each date D of the inputs' set (tagged with as_of), computed from the inputs as of D by the spec's rules in order:
 * cohort → dropout events and returns → alerts → hidden dropouts and ghosts → indicators,
 * completeness, timeliness, risk. Returns the tables by name (marts.*), not yet written.
 */
public final class Marts {
  private Marts() {}

  public static Map<String, Dataset<Row>> compute(AsOfInputs in, Rules rules) {
    return compute(in, SequenceFacts.full(in), rules);
  }

  /** The marts from the inputs and the summaries of the record sequence (full or carried forward). */
  public static Map<String, Dataset<Row>> compute(AsOfInputs in, SequenceFacts seq, Rules rules) {
    Rules.Grace g = rules.grace;
    Dataset<Row> latestRosters = Rosters.latest(in.roster).transform(baoxue.spark.Sessions::keep);
    Dataset<Row> placement = Rosters.placement(latestRosters).transform(baoxue.spark.Sessions::keep);

    Dataset<Row> cohort = Cohort.baseCohort(in.roster, in.changes);
    Dataset<Row> events = Cohort.dropoutEvents(in.changes, g.pendingTransferDays);
    Dataset<Row> movements = Cohort.normalMovements(in.changes);
    Dataset<Row> returns = Cohort.returnCandidates(seq.eventSequence, in.changes);
    Dataset<Row> outcomes = Cohort.outcomes(cohort, events, returns, movements).transform(baoxue.spark.Sessions::keep);

    Dataset<Row> runs = seq.runs;
    Dataset<Row> term = seq.term().transform(baoxue.spark.Sessions::keep);
    Dataset<Row> resolved = Alerts.resolve(Alerts.openAlerts(runs, g.alertDueDays), events, movements);
    Dataset<Row> alerts =
        Alerts.inSnapshot(Alerts.caseWork(resolved, in.interventions, g.minHomeVisits))
            .join(placement.select(AsOf.COL, "student_key", "grade", "class"), AsOf.keys("student_key"), "left")
            .transform(baoxue.spark.Sessions::keep);

    Dataset<Row> suspected =
        Hidden.watchlistRows(
                Hidden.suspectedByOpenAlert(outcomes, alerts, g.alertDueDays)
                    .unionByName(Hidden.suspectedVanished(outcomes, in.roster, latestRosters, in.changes)),
                "suspected_dropout",
                "疑似辍学")
            .transform(baoxue.spark.Sessions::keep);
    Dataset<Row> ghosts =
        Hidden.watchlistRows(
            Hidden.ghostsBySilence(latestRosters, seq.recentAttendance, in.calendar, g.ghostWindowDays, g.ghostMinReportedDays)
                .unionByName(Hidden.ghostsByInspection(in.inspections)),
            "ghost",
            "空挂学籍疑似");
    Dataset<Row> chronicRows = Hidden.chronicAbsence(placement, term, g.chronicRate, g.chronicMinDays).transform(baoxue.spark.Sessions::keep);
    Dataset<Row> chronic = Hidden.watchlistRows(chronicRows, "chronic_absence", "长期缺勤");

    Dataset<Row> cohortMart =
        outcomes
            .join(suspected.select(AsOf.col(), col("student_key"), lit(true).as("is_suspected_dropout")), AsOf.keys("student_key"), "left")
            .withColumn("is_suspected_dropout", coalesce(col("is_suspected_dropout"), lit(false)))
            .transform(baoxue.spark.Sessions::keep);

    Map<String, Dataset<Row>> out = new LinkedHashMap<>();
    out.put("marts.cohort", cohortMart);
    out.put("marts.alerts", alerts);
    out.put("marts.watchlist", suspected.unionByName(ghosts).unionByName(chronic));
    out.put(
        "marts.indicators",
        Indicators.indicators(cohortMart, placement, chronicRows, alerts, in.schools, rules));
    out.put("marts.completeness", Reporting.completeness(in.roster, seq.reported, in.calendar));
    out.put(
        "marts.timeliness",
        Reporting.timeliness(in.arrivals, in.calendar, in.schools, g.schoolReportDay, g.townshipReportDay));
    out.put(
        "marts.risk",
        RiskScore.score(
            placement, runs, seq.students, term, seq.recentAttendance, Hidden.recentSchoolDays(in.calendar, g.ghostWindowDays), outcomes, in.changes, rules.risk));
    return out;
  }
}
