package baoxue.pipeline;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * A pipeline definition from pipelines/*.yaml: which steps run in which order. The CLI and the
 * Airflow DAGs both read these files, so they cannot drift apart.
 */
public final class Pipeline {
  public String pipeline;
  public String title;
  /** {@code delivery} for the nightly pipeline (its steps run per delivery date); absent otherwise. */
  public String per;
  /**
   * {@code one}: a scheduled run submits the whole pipeline as one driver ({@code pipeline NAME
   * --date D} without {@code --step}), so a night pays JVM and Spark start once; per-step resume
   * stays (the delivery state records the last finished step). Absent: one task per step.
   */
  public String driver;
  /** When the scheduler runs it: a cron expression, or null for on demand. */
  public String schedule;
  /** A folder that must exist before the run starts (the nightly's delivery), with placeholders. */
  public String waitFor;
  /** Parameters a person may set when triggering the run, with their defaults (placeholders {@code <name>}). */
  public java.util.Map<String, String> params = java.util.Map.of();
  public List<StepDef> steps = List.of();
  /** Steps run once after all deliveries of a run. */
  public List<StepDef> afterRun = List.of();
  /** Steps a scheduled run does after {@code ./baoxue run}'s (e.g. the teachers' action lists). */
  public List<StepDef> publish = List.of();

  /** One step: its id, Chinese title, the job class and what it reads and writes. */
  public static final class StepDef {
    public String id;
    public String title;
    public String job;
    public List<String> inputs = List.of();
    public List<String> outputs = List.of();
    /** The ./baoxue command line that runs this step alone for one date, with placeholders. */
    public List<String> command = List.of();
  }

  /** Every step a scheduled run executes, in order: the delivery steps, the after-run steps, then publish. */
  public List<StepDef> scheduledSteps() {
    List<StepDef> all = new java.util.ArrayList<>(steps);
    all.addAll(afterRun);
    all.addAll(publish);
    return all;
  }

  /** The pipeline names shipped in pipelines/ (the yaml files that define a pipeline). */
  public static final List<String> NAMES =
      List.of("nightly", "monthly_schools", "monthly_county", "semester", "inspection_commit", "inspection_draw");

  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory())
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

  public static Pipeline load(String name) {
    String res = "baoxue/pipelines/" + name + ".yaml";
    try (InputStream in = Pipeline.class.getClassLoader().getResourceAsStream(res)) {
      if (in == null) {
        throw new IllegalArgumentException("没有流水线 " + name + "（pipelines/ 中有：" + String.join("、", NAMES) + "）");
      }
      return YAML.readValue(in, Pipeline.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Instantiates the per-run steps in order. */
  public List<RunStep> runSteps() {
    return afterRun.stream().map(s -> (RunStep) instantiate(s)).toList();
  }

  /** The ids of the delivery steps and after-run steps, in order ({@code ./baoxue run --through}). */
  public List<String> runStepIds() {
    List<String> ids = new java.util.ArrayList<>(steps.stream().map(s -> s.id).toList());
    afterRun.forEach(s -> ids.add(s.id));
    return ids;
  }

  private Object instantiate(StepDef s) {
    try {
      return Class.forName(s.job).getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("pipeline " + pipeline + " step " + s.id + ": " + e, e);
    }
  }

  /** Instantiates the step classes in order. */
  public List<DeliveryStep> deliverySteps() {
    return steps.stream()
        .map(
            s -> {
              try {
                return (DeliveryStep) Class.forName(s.job).getDeclaredConstructor().newInstance();
              } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("pipeline " + pipeline + " step " + s.id + ": " + e, e);
              }
            })
        .toList();
  }
}
