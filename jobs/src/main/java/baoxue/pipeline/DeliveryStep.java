package baoxue.pipeline;

import java.util.List;

/** A step of a per-delivery pipeline. It writes through a transaction it commits itself. */
public interface DeliveryStep {
  /** The phase recorded in the delivery state once the step has committed. */
  String phase();

  void run(DeliveryContext ctx) throws Exception;

  /**
   * Runs the step for a set of pending deliveries in date order. A step that can do the set in
   * one pass (one transaction, a few wide jobs) overrides this; the result must be what running
   * it delivery by delivery gives.
   */
  default void runSet(List<DeliveryContext> set) throws Exception {
    for (DeliveryContext c : set) {
      run(c);
    }
  }

  /** "D" for one delivery, "D1..Dn" for a set: how fault points name it. */
  static String label(List<java.time.LocalDate> dates) {
    return dates.size() == 1 ? dates.get(0).toString() : dates.get(0) + ".." + dates.get(dates.size() - 1);
  }

  /** The transaction of a step over deliveries: "D-step" for one, "step-D1-Dn" for a set. */
  static String txnName(String step, List<java.time.LocalDate> dates) {
    return dates.size() == 1 ? dates.get(0) + "-" + step : step + "-" + dates.get(0) + "-" + dates.get(dates.size() - 1);
  }
}
