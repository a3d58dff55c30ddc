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
}
