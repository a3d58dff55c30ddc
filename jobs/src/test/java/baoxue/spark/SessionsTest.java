package baoxue.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import baoxue.testing.SparkTestSession;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * A run is sized from what was delivered: a small one plans without adaptive execution and
 * broadcasts and interprets its expressions (no generated code to compile); a large one uses AQE
 * and whole-stage code generation. An operator's explicit option always wins.
 */
class SessionsTest {
  @Test
  void aSmallRunInterpretsItsExpressionsAndALargeOneGeneratesCode() {
    SparkSession spark = SparkTestSession.get();
    try {
      assertTrue(Sessions.tune(spark, 10L << 20).startsWith("small, interpreted"));
      assertEquals("false", spark.conf().get("spark.sql.codegen.wholeStage"));
      assertEquals("NO_CODEGEN", spark.conf().get("spark.sql.codegen.factoryMode"));
      assertEquals("false", spark.conf().get("spark.sql.adaptive.enabled"));

      assertTrue(Sessions.tune(spark, 1L << 30).startsWith("large, generated code"));
      assertEquals("true", spark.conf().get("spark.sql.codegen.wholeStage"));
      assertEquals("FALLBACK", spark.conf().get("spark.sql.codegen.factoryMode"));
      assertEquals("true", spark.conf().get("spark.sql.adaptive.enabled"));

      System.setProperty("baoxue.spark.sql.codegen.wholeStage", "true");
      spark.conf().set("spark.sql.codegen.wholeStage", "true");
      Sessions.tune(spark, 10L << 20);
      assertEquals("true", spark.conf().get("spark.sql.codegen.wholeStage"), "the operator's option is kept");
    } finally {
      System.clearProperty("baoxue.spark.sql.codegen.wholeStage");
      Sessions.tune(spark, 0);
    }
  }
}
