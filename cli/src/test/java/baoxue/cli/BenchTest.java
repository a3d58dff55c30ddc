package baoxue.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import baoxue.generate.CountyGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark end to end on the smallest county: real child JVMs, the real nightly job, real
 * DuckDB. It checks that every figure the results file promises is there and plausible, and that
 * the DuckDB baseline and the marts agree where their definitions coincide (the cohort).
 */
class BenchTest {
  @TempDir Path work;

  @Test
  void theBenchWritesEveryFigureItPromises() throws Exception {
    Path out = work.resolve("results.json");
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    new Bench(CountyGenerator.Scale.DEMO, 2, 1, 7, LocalDate.parse("2025-09-01"), work, out, false, "2g", Path.of(".."),
            new PrintStream(log, true, StandardCharsets.UTF_8))
        .run();
    JsonNode r = new ObjectMapper().readTree(out.toFile());

    assertTrue(r.path("machine").path("cores").asInt() >= 1);
    assertTrue(r.path("machine").path("spark").asText().startsWith("4.0"), r.path("machine").toString());
    assertTrue(r.path("data").path("students").asLong() > 1000);
    assertEquals(1, r.path("backfill").path("deliveries").asInt());

    JsonNode inc = r.path("increment");
    assertEquals("2025-09-02", inc.path("delivery").asText());
    assertEquals(List.of("stage", "core", "marts", "snapshots", "analyst_db"), fieldNames(inc.path("step_seconds")));
    double wall = inc.path("wall_seconds").path("median").asDouble();
    double steps = 0;
    for (JsonNode s : inc.path("step_seconds")) {
      assertTrue(s.path("median").asDouble() > 0, inc.toString());
      steps += s.path("median").asDouble();
    }
    assertTrue(steps < wall, "the steps run inside the wall time: " + steps + " < " + wall);
    assertTrue(inc.path("rows_read").path("median").asLong() > 1000);
    assertTrue(inc.path("peak_rss_bytes").path("max").asLong() > inc.path("peak_heap_bytes").path("max").asLong() / 4);
    assertTrue(inc.path("files_written").path("median").asLong() > 0);

    assertEquals(10, r.path("analyst_queries_ms").size());
    for (JsonNode q : r.path("analyst_queries_ms")) {
      assertTrue(q.path("median").asDouble() > 0);
    }
    assertTrue(r.path("publications").path("brief").path("wall_seconds").path("median").asDouble() > 0);

    JsonNode b = r.path("baseline");
    assertTrue(b.path("wall_seconds").path("median").asDouble() > 0);
    long base = b.path("marts_counts").path("base_enrollment").asLong();
    assertTrue(base > 1000, b.toString());
    // an independent SQL of the spec over the same clean CSVs says the same for D
    b.path("marts_counts").fields().forEachRemaining(
        e -> assertEquals(e.getValue().asLong(), b.path("counts").path(e.getKey()).asLong(), "baseline vs marts: " + e.getKey()));

    String md = Files.readString(work.resolve("results.md"));
    for (String s : List.of("每晚增量", "补跑一个学期", "DuckDB 基线", "十个分析问题", "| marts |", "| base_enrollment |")) {
      assertTrue(md.contains(s), s);
    }
    // the data is generated once and reused: a second run with the backfill reused only re-measures the increment
    log.reset();
    new Bench(CountyGenerator.Scale.DEMO, 2, 1, 7, LocalDate.parse("2025-09-01"), work, out, true, "2g", Path.of(".."),
            new PrintStream(log, true, StandardCharsets.UTF_8))
        .run();
    String second = log.toString(StandardCharsets.UTF_8);
    assertTrue(second.contains("数据：沿用") && second.contains("补跑：沿用"), second);
    JsonNode again = new ObjectMapper().readTree(out.toFile());
    assertTrue(again.path("backfill").path("reused").asBoolean());
    assertTrue(again.path("increment").path("wall_seconds").path("median").asDouble() > 0);
  }

  private static List<String> fieldNames(JsonNode n) {
    List<String> out = new java.util.ArrayList<>();
    n.fieldNames().forEachRemaining(out::add);
    return out;
  }
}
