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
    // the data is generated once and reused; --nights builds the state before the last delivery
    // night by night (here the one night before it) and compares the last night with the first
    log.reset();
    new Bench(CountyGenerator.Scale.DEMO, 2, 1, 7, LocalDate.parse("2025-09-01"), work, out, true, true, "2g", Path.of(".."),
            new PrintStream(log, true, StandardCharsets.UTF_8))
        .run();
    String second = log.toString(StandardCharsets.UTF_8);
    assertTrue(second.contains("数据：沿用") && second.contains("逐晚：1 个交付") && second.contains("第 1 晚 2025-09-01"), second);
    JsonNode again = new ObjectMapper().readTree(out.toFile());
    assertEquals("nights", again.path("backfill").path("mode").asText());
    assertTrue(!again.path("backfill").path("reused").asBoolean(), "a backfill's state is not reused for nights");
    JsonNode night = again.path("backfill").path("each_night").path(0);
    assertEquals("2025-09-01", night.path("delivery").asText());
    assertTrue(night.path("spark_jobs").asLong() > 0 && night.path("peak_rss_bytes").asLong() > 0, night.toString());
    JsonNode drift = again.path("nights_drift");
    assertEquals(1, drift.path("reference_night").asInt());
    assertEquals(2, drift.path("last_night").asInt());
    assertEquals(night.path("wall_seconds").asDouble(), drift.path("reference_wall_seconds").asDouble(), 1e-9);
    assertEquals(again.path("increment").path("each_run").path(0).path("wall_seconds").asDouble(), drift.path("last_wall_seconds").asDouble(), 1e-9);
    String md2 = Files.readString(work.resolve("results.md"));
    assertTrue(md2.contains("逐晚跑") && md2.contains("| 1 | 2025-09-01 |") && md2.contains("第 2 晚与第 1 晚相比"), md2);
    // the same baseline agreement holds for the state built night by night
    JsonNode b2 = again.path("baseline");
    b2.path("marts_counts").fields().forEachRemaining(
        e -> assertEquals(e.getValue().asLong(), b2.path("counts").path(e.getKey()).asLong(), "nights: baseline vs marts: " + e.getKey()));
  }

  private static List<String> fieldNames(JsonNode n) {
    List<String> out = new java.util.ArrayList<>();
    n.fieldNames().forEachRemaining(out::add);
    return out;
  }
}
