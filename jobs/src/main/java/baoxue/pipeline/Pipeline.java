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
  public String per;
  public List<StepDef> steps;
  /** Steps run once after all deliveries of a run. */
  public List<StepDef> afterRun = List.of();

  /** One step: its id, Chinese title, the job class and what it reads and writes. */
  public static final class StepDef {
    public String id;
    public String title;
    public String job;
    public List<String> inputs = List.of();
    public List<String> outputs = List.of();
  }

  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory())
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

  public static Pipeline load(String name) {
    String res = "baoxue/pipelines/" + name + ".yaml";
    try (InputStream in = Pipeline.class.getClassLoader().getResourceAsStream(res)) {
      if (in == null) {
        throw new IllegalArgumentException("no pipeline definition " + res);
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
