package baoxue.jobs.core;

import static org.apache.spark.sql.functions.*;

import baoxue.pipeline.DeliveryContext;
import baoxue.pipeline.DeliveryStep;
import baoxue.schema.Schemas;
import baoxue.schema.TableSpec;
import baoxue.spark.Tables;
import baoxue.transforms.CoreTransforms;
import baoxue.warehouse.DeliveryState;
import baoxue.warehouse.Faults;
import baoxue.warehouse.Txn;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Nightly step 2: brings the core layer up to date with delivery D, touching only what D (or the
 * version of D it replaces) could change: the roster snapshot of D, the attendance days D
 * reported, and the small entity tables of the kinds D carried. The calendar is rebuilt every time
 * (a year of rows) so that it always spans the school years delivered so far.
 */
public final class CoreDeliveryStep implements DeliveryStep {
  @Override
  public String phase() {
    return DeliveryState.CORE;
  }

  @Override
  public void run(DeliveryContext ctx) throws Exception {
    runSet(List.of(ctx));
  }

  /**
   * Brings core up to date with a set of staged deliveries (in date order) in one transaction:
   * the roster snapshots of those that carried students, the union of the attendance days they
   * reported (now or in the versions they replace), and the entity tables once.
   */
  @Override
  public void runSet(List<DeliveryContext> set) throws Exception {
    DeliveryContext head = set.get(0);
    List<LocalDate> deliveries = set.stream().map(c -> c.date).toList();
    String label = DeliveryStep.label(deliveries);
    Set<String> kinds = new LinkedHashSet<>();
    Set<String> dates = new LinkedHashSet<>();
    List<LocalDate> withStudents = new ArrayList<>();
    for (DeliveryContext c : set) {
      kinds.addAll(c.state.kinds);
      kinds.addAll(c.state.previousKinds);
      dates.addAll(c.state.attendanceDates);
      dates.addAll(c.state.previousAttendanceDates);
      if (c.state.kinds.contains("students") || c.state.previousKinds.contains("students")) {
        withStudents.add(c.date);
      }
    }
    Txn txn = Txn.begin(head.warehouse, DeliveryStep.txnName("core", deliveries));
    try {
      if (kinds.contains("schools")) {
        rebuild(head, txn, "schools", "core.schools");
      }
      buildCalendar(head, txn, deliveries);
      if (!withStudents.isEmpty()) {
        TableSpec roster = Schemas.table("core.roster");
        Dataset<Row> staged = staged(head, "students").where(col("delivery_date").isin(withStudents.toArray()));
        List<String> expected = withStudents.stream().map(d -> roster.partitionBy.get(0) + "=" + d).toList();
        Tables.writePartitions(CoreTransforms.roster(staged), roster, txn, expected);
      }
      if (!dates.isEmpty()) {
        TableSpec att = Schemas.table("core.attendance");
        List<LocalDate> days = dates.stream().sorted().map(LocalDate::parse).toList();
        Dataset<Row> staged =
            staged(head, "attendance").where(col("date").isin(days.toArray()));
        List<String> expected = new ArrayList<>();
        for (LocalDate x : days) {
          expected.add("date=" + x);
        }
        Tables.writePartitions(CoreTransforms.attendance(staged), att, txn, expected);
      }
      for (String k : List.of("changes", "interventions", "inspections")) {
        if (kinds.contains(k)) {
          rebuild(head, txn, k, "core." + k);
        }
      }
      Faults.point("core:" + label + ":written");
      for (DeliveryContext c : set) {
        DeliveryState st = c.state;
        st.phase = phase();
        st.previousKinds = new ArrayList<>();
        st.previousAttendanceDates = new ArrayList<>();
        c.warehouse.writeString(txn.stagePath(DeliveryState.path(c.date.toString())), st.toJson());
      }
      txn.commit();
    } catch (Exception | Error e) {
      if (!(e instanceof Faults.InjectedCrash)) {
        txn.abort();
      }
      throw e;
    }
  }

  private static Dataset<Row> staged(DeliveryContext ctx, String kind) throws Exception {
    return Tables.read(ctx.spark, ctx.warehouse, Schemas.staged(kind));
  }

  private static void rebuild(DeliveryContext ctx, Txn txn, String kind, String table) throws Exception {
    Dataset<Row> s = staged(ctx, kind);
    Dataset<Row> out;
    switch (kind) {
      case "schools":
        out = CoreTransforms.schools(s);
        break;
      case "changes":
        out = CoreTransforms.changes(s);
        break;
      case "interventions":
        out = CoreTransforms.interventions(s);
        break;
      case "inspections":
        out = CoreTransforms.inspections(s);
        break;
      default:
        throw new IllegalArgumentException(kind);
    }
    Tables.writeTable(out, Schemas.table(table), txn);
  }

  private static void buildCalendar(DeliveryContext ctx, Txn txn, List<LocalDate> deliveries) throws Exception {
    List<String> done = new ArrayList<>();
    for (String f : ctx.warehouse.list("_state/deliveries")) {
      if (f.endsWith(".json")) {
        done.add(f.substring(0, f.length() - 5));
      }
    }
    deliveries.forEach(d -> done.add(d.toString()));
    done.sort(null);
    LocalDate first = LocalDate.parse(done.get(0));
    LocalDate last = LocalDate.parse(done.get(done.size() - 1));
    Dataset<Row> cal = CoreTransforms.calendar(ctx.spark, staged(ctx, "calendar"), first, last);
    Tables.writeTable(cal, Schemas.table("core.calendar"), txn);
  }
}
