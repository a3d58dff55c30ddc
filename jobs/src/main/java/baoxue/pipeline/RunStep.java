package baoxue.pipeline;

import baoxue.warehouse.Warehouse;
import java.io.PrintStream;
import org.apache.spark.sql.SparkSession;

/** A step run once at the end of a pipeline run (after every delivery), e.g. the analysts' DuckDB. */
public interface RunStep {
  void run(SparkSession spark, Warehouse warehouse, PrintStream out) throws Exception;
}
