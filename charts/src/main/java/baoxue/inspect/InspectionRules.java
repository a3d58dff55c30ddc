package baoxue.inspect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

/** The signal points of the risk frame ({@code pipelines/inspection.yaml}) and their fingerprint. */
public final class InspectionRules {
  public static final String RESOURCE = "baoxue/pipelines/inspection.yaml";
  final JsonNode school;
  final JsonNode clazz;
  public final String fingerprint;

  private InspectionRules(byte[] yaml) throws IOException {
    JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
    school = root.path("school");
    clazz = root.path("class");
    try {
      // the fingerprint of the parsed values, so comments and layout do not matter
      fingerprint = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(new ObjectMapper().writeValueAsBytes(root))).substring(0, 16);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static InspectionRules defaults() {
    try (InputStream in = InspectionRules.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " 不在 classpath 上：请用 Maven 重新构建。");
      }
      return new InspectionRules(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static InspectionRules load(Path file) throws IOException {
    return new InspectionRules(Files.readAllBytes(file));
  }

  double school(String name) {
    JsonNode n = school.get(name);
    if (n == null || !n.isNumber()) {
      throw new IllegalStateException("pipelines/inspection.yaml 缺少 school." + name);
    }
    return n.asDouble();
  }

  double clazz(String name) {
    JsonNode n = clazz.get(name);
    if (n == null || !n.isNumber()) {
      throw new IllegalStateException("pipelines/inspection.yaml 缺少 class." + name);
    }
    return n.asDouble();
  }
}
