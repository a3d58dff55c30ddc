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
    LocalDate d = ctx.date;
    DeliveryState st = ctx.state;
    Set<String> kinds = new LinkedHashSet<>(st.kinds);
    kinds.addAll(st.previousKinds);
    Set<String> dates = new LinkedHashSet<>(st.attendanceDates);
    dates.addAll(st.previousAttendanceDates);
    Txn txn = Txn.begin(ctx.warehouse, d + "-core");
    try {
      if (kinds.contains("schools")) {
        rebuild(ctx, txn, "schools", "core.schools");
      }
      buildCalendar(ctx, txn);
      if (kinds.contains("students")) {
        TableSpec roster = Schemas.table("core.roster");
        Dataset<Row> staged = staged(ctx, "students").where(col("delivery_date").equalTo(lit(d)));
        Tables.writePartition(CoreTransforms.roster(staged), roster, txn, d.toString());
      }
      if (!dates.isEmpty()) {
        TableSpec att = Schemas.table("core.attendance");
        List<LocalDate> days = dates.stream().sorted().map(LocalDate::parse).toList();
        Dataset<Row> staged =
            staged(ctx, "attendance").where(col("date").isin(days.toArray()));
        List<String> expected = new ArrayList<>();
        for (LocalDate x : days) {
          expected.add("date=" + x);
        }
        Tables.writePartitions(CoreTransforms.attendance(staged), att, txn, expected);
      }
      for (String k : List.of("changes", "interventions", "inspections")) {
        if (kinds.contains(k)) {
          rebuild(ctx, txn, k, "core." + k);
        }
      }
      Faults.point("core:" + d + ":written");
      st.phase = phase();
      st.previousKinds = new ArrayList<>();
      st.previousAttendanceDates = new ArrayList<>();
      ctx.warehouse.writeString(txn.stagePath(DeliveryState.path(d.toString())), st.toJson());
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

  private static void buildCalendar(DeliveryContext ctx, Txn txn) throws Exception {
    List<String> done = new ArrayList<>();
    for (String f : ctx.warehouse.list("_state/deliveries")) {
      if (f.endsWith(".json")) {
        done.add(f.substring(0, f.length() - 5));
      }
    }
    done.add(ctx.date.toString());
    done.sort(null);
    LocalDate first = LocalDate.parse(done.get(0));
    LocalDate last = LocalDate.parse(done.get(done.size() - 1));
    Dataset<Row> cal = CoreTransforms.calendar(ctx.spark, staged(ctx, "calendar"), first, last);
    Tables.writeTable(cal, Schemas.table("core.calendar"), txn);
  }
}
