package baoxue.marts;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * The rule parameters of pipelines/rules.yaml: target profiles, grace periods and risk weights,
 * with the spec's values as defaults. {@link #fingerprint()} identifies the exact parameters a
 * snapshot was computed with, so a change of parameters recomputes the snapshots.
 */
public final class Rules implements Serializable {
  private static final long serialVersionUID = 1L;

  public String defaultProfile = "grade-rate";
  public Map<String, Profile> profiles = new TreeMap<>();
  public Grace grace = new Grace();
  public Risk risk = new Risk();
  /** The profile in use (set by {@link #withProfile}). */
  public String activeProfile;

  public static final class Profile implements Serializable {
    private static final long serialVersionUID = 1L;
    public String title;
    public Map<Integer, Double> grades = new TreeMap<>();
  }

  public static final class Grace implements Serializable {
    private static final long serialVersionUID = 1L;
    public int pendingTransferDays = 30;
    public int alertDueDays = 15;
    public int minHomeVisits = 3;
    public double chronicRate = 0.10;
    public int chronicMinDays = 10;
    public int ghostWindowDays = 20;
    public int ghostMinReportedDays = 10;
    public int schoolReportDay = 23;
    public int townshipReportDay = 25;
  }

  public static final class Risk implements Serializable {
    private static final long serialVersionUID = 1L;
    public int currentStreak2plus = 40;
    public int currentStreak1 = 10;
    public int recentUnexcusedPerDay = 5;
    public int recentUnexcusedMax = 25;
    public int termAbsence10pct = 15;
    public int termAbsence5pct = 5;
    public int earlierDropout = 20;
    public int groupFlag = 5;
    public int groupMax = 15;
    public int grade89 = 10;
    public int pendingTransfer = 15;
    public int high = 40;
    public int medium = 20;
  }

  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory())
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

  /** The project's rules (pipelines/rules.yaml on the classpath). */
  public static Rules defaults() {
    try (InputStream in = Rules.class.getClassLoader().getResourceAsStream("baoxue/pipelines/rules.yaml")) {
      if (in == null) {
        throw new IllegalStateException("baoxue/pipelines/rules.yaml missing from the classpath");
      }
      return YAML.readValue(in, Rules.class).withProfile(null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Rules from a file the operator gives. */
  public static Rules load(Path file) throws IOException {
    try {
      return YAML.readValue(Files.readString(file, StandardCharsets.UTF_8), Rules.class).withProfile(null);
    } catch (IOException e) {
      throw new IOException("口径参数文件 " + file + " 无法读取：" + e.getMessage(), e);
    }
  }

  /** This rule set with the named profile active (null: the default profile). */
  public Rules withProfile(String name) {
    String p = name == null ? defaultProfile : name;
    if (!profiles.containsKey(p)) {
      throw new IllegalArgumentException("没有名为 " + p + " 的目标方案；可选：" + String.join("、", profiles.keySet()));
    }
    for (int g = 1; g <= 9; g++) {
      if (!profiles.get(p).grades.containsKey(g)) {
        throw new IllegalArgumentException("目标方案 " + p + " 缺少 " + g + " 年级的目标");
      }
    }
    activeProfile = p;
    return this;
  }

  public Profile profile() {
    return profiles.get(activeProfile);
  }

  /** SHA-256 (16 hex) of the active parameters: a snapshot computed with others is stale. */
  public String fingerprint() {
    try {
      Map<String, Object> m = new TreeMap<>();
      m.put("profile", activeProfile);
      m.put("grades", profile().grades);
      m.put("grace", grace);
      m.put("risk", risk);
      byte[] json = new ObjectMapper().writeValueAsBytes(m);
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json)).substring(0, 16);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
