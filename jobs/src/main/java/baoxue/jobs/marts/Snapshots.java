package baoxue.jobs.marts;

import baoxue.marts.Rules;
import baoxue.warehouse.DeliveryState;
import baoxue.warehouse.Faults;
import baoxue.warehouse.Txn;
import baoxue.warehouse.Warehouse;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Snapshots on dates without a delivery: every month's last day (the briefing and the monthly
 * forms are as of the month's end, often a weekend or a holiday) and any date an analyst asks for
 * ({@code ./baoxue snapshot --date D}). Each is exactly what a run for D would have seen: the
 * same marts, computed by the same rules ({@link Marts#compute}) from the deliveries dated D or
 * earlier, written to the marts' partition {@code as_of=D} in one transaction with its state
 * ({@code _state/snapshots/D.json}: the rules' fingerprint and a fingerprint of the deliveries it
 * was built from). A later run recomputes it only when one of those changed (a re-delivery dated
 * on or before D, other rules); a delivery that arrives for D itself takes the date over.
 */
public final class Snapshots {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  static final String DIR = "_state/snapshots";

  private Snapshots() {}

  /** What the warehouse records of one snapshot. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public static final class State {
    public String date;
    /** Asked for by an analyst (kept up to date like the month ends). */
    public boolean requested;
    public String martsFingerprint;
    /** SHA-256 over the delivery dates up to the date and the SHA-256 of their files. */
    public String basis;
  }

  public static String path(LocalDate d) {
    return DIR + "/" + d + ".json";
  }

  static State load(Warehouse wh, LocalDate d) throws IOException {
    return wh.exists(path(d)) ? JSON.readValue(wh.readString(path(d)), State.class) : null;
  }

  /** The deliveries whose marts are published, by date. */
  static TreeMap<LocalDate, DeliveryState> built(Warehouse wh) throws IOException {
    TreeMap<LocalDate, DeliveryState> out = new TreeMap<>();
    for (String f : wh.list("_state/deliveries")) {
      if (f.endsWith(".json")) {
        DeliveryState s = DeliveryState.load(wh, f.substring(0, f.length() - 5));
        if (s != null && DeliveryState.MARTS.equals(s.phase)) {
          out.put(LocalDate.parse(s.deliveryDate), s);
        }
      }
    }
    return out;
  }

  /** The month ends strictly between the first and the last built delivery that are not delivery dates. */
  static List<LocalDate> monthEnds(TreeMap<LocalDate, DeliveryState> built) {
    List<LocalDate> out = new ArrayList<>();
    if (built.isEmpty()) {
      return out;
    }
    LocalDate last = built.lastKey();
    for (YearMonth m = YearMonth.from(built.firstKey()); ; m = m.plusMonths(1)) {
      LocalDate end = m.atEndOfMonth();
      if (!end.isBefore(last)) {
        return out;
      }
      if (!built.containsKey(end)) {
        out.add(end);
      }
    }
  }

  static String basis(TreeMap<LocalDate, DeliveryState> built, LocalDate d) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (DeliveryState s : built.headMap(d, true).values()) {
        md.update((s.deliveryDate + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        for (DeliveryState.FileEntry f : s.files) {
          md.update((f.name + " " + f.sha256 + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
      }
      return HexFormat.of().formatHex(md.digest()).substring(0, 16);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Brings every wanted snapshot up to date after a run's deliveries: the month ends, the dates
   * analysts asked for; drops the record of a date a delivery has taken over. Returns the dates
   * computed.
   */
  public static List<LocalDate> refresh(SparkSession spark, Warehouse wh, Rules rules, PrintStream out) throws Exception {
    TreeMap<LocalDate, DeliveryState> built = built(wh);
    TreeSet<LocalDate> wanted = new TreeSet<>(monthEnds(built));
    for (String f : wh.list(DIR)) {
      if (f.endsWith(".json")) {
        LocalDate d = LocalDate.parse(f.substring(0, f.length() - 5));
        State s = load(wh, d);
        if (built.containsKey(d)) {
          wh.fs().delete(wh.path(path(d)), false); // a delivery for that day now owns its partition
        } else if (s != null && s.requested) {
          wanted.add(d);
        }
      }
    }
    List<LocalDate> dates = new ArrayList<>();
    for (LocalDate d : wanted) {
      if (!built.isEmpty() && d.isAfter(built.firstKey()) && d.isBefore(built.lastKey())) {
        dates.add(d);
      }
    }
    return compute(spark, wh, rules, built, dates, false, out);
  }

  /**
   * {@code ./baoxue snapshot --date D}: the snapshot as of D, which must lie between the first and
   * the last delivery the warehouse has built. False when it was already up to date.
   */
  public static boolean request(SparkSession spark, Warehouse wh, Rules rules, LocalDate d, PrintStream out) throws Exception {
    TreeMap<LocalDate, DeliveryState> built = built(wh);
    if (built.isEmpty()) {
      throw new IllegalArgumentException("仓库里还没有处理过的交付：先运行 ./baoxue run。");
    }
    if (built.containsKey(d)) {
      out.println(d + " 是交付日，每晚处理已经算好了它的快照（as_of = " + d + "）。");
      return false;
    }
    if (d.isBefore(built.firstKey()) || d.isAfter(built.lastKey())) {
      throw new IllegalArgumentException(
          "只能计算第一个与最后一个已处理交付之间的日期（" + built.firstKey() + " 至 " + built.lastKey() + "）；" + d + " 不在其中："
              + (d.isAfter(built.lastKey()) ? built.lastKey() + " 之后的交付还没有处理。" : built.firstKey() + " 之前没有交付。"));
    }
    return !compute(spark, wh, rules, built, List.of(d), true, out).isEmpty();
  }

  /**
   * Computes the snapshots of {@code dates} that are stale (all in one pass over the set of them,
   * published in one transaction) and returns those dates.
   */
  private static List<LocalDate> compute(
      SparkSession spark, Warehouse wh, Rules rules, TreeMap<LocalDate, DeliveryState> built, List<LocalDate> dates, boolean requested, PrintStream out)
      throws Exception {
    String fingerprint = rules.fingerprint();
    List<State> stale = new ArrayList<>();
    for (LocalDate d : dates) {
      State old = load(wh, d);
      String basis = basis(built, d);
      boolean keep = requested || (old != null && old.requested);
      if (old != null && basis.equals(old.basis) && fingerprint.equals(old.martsFingerprint)) {
        if (old.requested != keep) {
          old.requested = keep; // a month end an analyst now asks for by name: only its record changes
          org.apache.hadoop.fs.Path tmp = wh.path(path(d) + ".tmp");
          wh.writeString(tmp, JSON.writeValueAsString(old));
          wh.fs().rename(tmp, wh.path(path(d)));
        }
        if (requested) {
          out.println("快照 " + d + " 已是最新（as_of = " + d + "）。");
        }
        continue;
      }
      State s = new State();
      s.date = d.toString();
      s.requested = keep;
      s.martsFingerprint = fingerprint;
      s.basis = basis;
      stale.add(s);
    }
    if (stale.isEmpty()) {
      return List.of();
    }
    List<LocalDate> todo = stale.stream().map(x -> LocalDate.parse(x.date)).toList();
    long t = System.nanoTime();
    AsOfInputs in = AsOfInputs.read(spark, wh, todo, built.firstKey());
    Map<String, Dataset<Row>> marts = Marts.compute(in, SequenceFacts.full(in), rules);
    String id = todo.size() == 1 ? todo.get(0) + "-snapshot" : "snapshots-" + todo.get(0) + "-" + todo.get(todo.size() - 1);
    Txn txn = Txn.begin(wh, id);
    try {
      MartsDeliveryStep.writeAll(spark, marts, txn, todo, id);
      for (LocalDate d : todo) {
        Faults.point("snapshot:" + d + ":written");
      }
      for (State s : stale) {
        wh.writeString(txn.stagePath(path(LocalDate.parse(s.date))), JSON.writeValueAsString(s));
      }
      txn.commit();
    } catch (Exception | Error e) {
      if (!(e instanceof Faults.InjectedCrash)) {
        txn.abort();
      }
      throw e;
    } finally {
      baoxue.spark.Sessions.release(spark);
    }
    double secs = (System.nanoTime() - t) / 1e9;
    for (State s : stale) {
      out.printf("快照 %s（%s，不是交付日）：已按截至当日的交付计算%n", s.date, s.requested ? "按需" : "月末");
    }
    out.printf("  （%d 个快照一次算出，用时 %.1f 秒）%n", todo.size(), secs);
    return todo;
  }
}
