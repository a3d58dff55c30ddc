package baoxue.pipeline;

import baoxue.privacy.Pseudonym;
import baoxue.warehouse.DeliveryState;
import baoxue.warehouse.Landing;
import baoxue.warehouse.Warehouse;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/** Everything a step of the nightly pipeline gets for delivery {@code date}. */
public final class DeliveryContext {
  public final SparkSession spark;
  public final Warehouse warehouse;
  public final Landing landing;
  public final LocalDate date;
  public final List<Landing.DeliveredFile> files;
  public final Pseudonym pseudonym;
  /** The state being built for this delivery; a step records its phase in it on commit. */
  public final DeliveryState state;
  /** Rule parameters (target profile, grace periods, risk weights). */
  public final baoxue.marts.Rules rules;

  public DeliveryContext(
      SparkSession spark,
      Warehouse warehouse,
      Landing landing,
      LocalDate date,
      List<Landing.DeliveredFile> files,
      Pseudonym pseudonym,
      DeliveryState state,
      baoxue.marts.Rules rules) {
    this.spark = spark;
    this.warehouse = warehouse;
    this.landing = landing;
    this.date = date;
    this.files = files;
    this.pseudonym = pseudonym;
    this.state = state;
    this.rules = rules;
  }
}
