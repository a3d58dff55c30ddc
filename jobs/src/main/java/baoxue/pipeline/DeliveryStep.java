package baoxue.pipeline;

/** A step of a per-delivery pipeline. It writes through a transaction it commits itself. */
public interface DeliveryStep {
  /** The phase recorded in the delivery state once the step has committed. */
  String phase();

  void run(DeliveryContext ctx) throws Exception;
}
