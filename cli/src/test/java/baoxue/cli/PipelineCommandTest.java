package baoxue.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import baoxue.pipeline.Pipeline;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How ./baoxue pipeline turns a definition's step into the command it runs for a date. */
class PipelineCommandTest {
  private static PipelineCommand cmd(String date) {
    PipelineCommand c = new PipelineCommand();
    c.date = LocalDate.parse(date);
    c.warehouse = "/W";
    c.landing = "/L";
    c.outputs = "/O";
    c.restricted = "/R";
    return c;
  }

  private static List<String> expand(String pipeline, String step, String date) {
    Pipeline p = Pipeline.load(pipeline);
    Pipeline.StepDef s = p.scheduledSteps().stream().filter(x -> x.id.equals(step)).findFirst().orElseThrow();
    return PipelineCommand.expand(s, cmd(date).values(p));
  }

  @Test
  void everyShippedPipelineLoadsAndEveryStepHasACommand() {
    for (String name : Pipeline.NAMES) {
      Pipeline p = Pipeline.load(name);
      assertEquals(name, p.pipeline);
      assertTrue(!p.scheduledSteps().isEmpty(), name);
      p.scheduledSteps().forEach(s -> assertTrue(!s.command.isEmpty(), name + "/" + s.id));
    }
  }

  @Test
  void nightlyStepsRunTheNightlyRunThroughThemselves() {
    assertEquals(
        List.of("run", "--landing", "/L", "--warehouse", "/W", "--until", "2025-09-10", "--through", "core"),
        expand("nightly", "core", "2025-09-10"));
    assertEquals(List.of("stage", "core", "marts", "analyst_db"), Pipeline.load("nightly").runStepIds());
  }

  @Test
  void theWholeNightIsOneRunThenThePublishSteps() {
    Pipeline p = Pipeline.load("nightly");
    assertEquals("one", p.driver);
    List<PipelineCommand.Planned> all = PipelineCommand.plan(p.scheduledSteps(), cmd("2025-09-10").values(p), true);
    assertEquals(List.of("stage、core、marts、analyst_db", "action_lists"), all.stream().map(PipelineCommand.Planned::label).toList());
    assertEquals(List.of("run", "--landing", "/L", "--warehouse", "/W", "--until", "2025-09-10"), all.get(0).command());
    assertEquals("alerts", all.get(1).command().get(0));
    // one step alone (--step) keeps its --through
    List<PipelineCommand.Planned> one =
        PipelineCommand.plan(p.scheduledSteps().subList(1, 2), cmd("2025-09-10").values(p), false);
    assertEquals(expand("nightly", "core", "2025-09-10"), one.get(0).command());
  }

  @Test
  void monthSemesterAndQuarterComeFromTheDate() {
    assertEquals(
        List.of("brief", "--warehouse", "/W", "--month", "2025-09", "--out", "/O/brief/2025-09"),
        expand("monthly_county", "brief", "2025-09-25"));
    // after the autumn term (Feb 1) and after the spring term (Sep 1)
    assertTrue(expand("semester", "cases", "2026-02-01").contains("2025-2026-1"));
    assertTrue(expand("semester", "cases", "2025-09-01").contains("2024-2025-2"));
    assertTrue(expand("inspection_commit", "commit", "2025-10-01").contains("2025Q4"));
    assertTrue(expand("inspection_draw", "draw", "2026-03-31").contains("2026Q1"));
  }

  @Test
  void parametersHaveDefaultsAndCanBeSet() {
    List<String> d = expand("inspection_draw", "draw", "2025-10-15");
    assertEquals("3", d.get(d.indexOf("--schools") + 1));
    PipelineCommand c = cmd("2025-10-15");
    c.params = Map.of("schools", "5");
    Pipeline p = Pipeline.load("inspection_draw");
    List<String> e = PipelineCommand.expand(p.steps.get(0), c.values(p));
    assertEquals("5", e.get(e.indexOf("--schools") + 1));
    c.params = Map.of("shcools", "5");
    Main.UserError err = assertThrows(Main.UserError.class, () -> c.values(p));
    assertTrue(err.getMessage().contains("没有参数 shcools"), err.getMessage());
  }

  @Test
  void aMissingOptionIsNamed() {
    PipelineCommand c = cmd("2025-09-10");
    c.landing = null;
    Pipeline p = Pipeline.load("nightly");
    Main.UserError err = assertThrows(Main.UserError.class, () -> PipelineCommand.expand(p.steps.get(0), c.values(p)));
    assertEquals("步骤 stage 需要 --landing（它的命令里有 <landing>）", err.getMessage());
  }
}
