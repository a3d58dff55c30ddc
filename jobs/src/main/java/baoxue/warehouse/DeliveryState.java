package baoxue.warehouse;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the warehouse knows of one delivery: the files it was built from (name, size, time,
 * SHA-256), how far it got ({@code staged}, then {@code core}), the attendance dates it touched
 * and its row counts. Written inside the same transaction as the data it describes.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public final class DeliveryState {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public static final String STAGED = "staged";
  public static final String CORE = "core";
  public static final String MARTS = "marts";

  public String deliveryDate;
  public String phase;
  public List<FileEntry> files = new ArrayList<>();
  /** Kinds present in the delivery. */
  public List<String> kinds = new ArrayList<>();
  /** Distinct attendance dates in the delivery's valid rows. */
  public List<String> attendanceDates = new ArrayList<>();
  /**
   * Kinds and attendance dates of the version of this delivery the core layer was last built
   * from (on a re-delivery): the core step rebuilds those too, so nothing stale survives.
   */
  public List<String> previousKinds = new ArrayList<>();

  public List<String> previousAttendanceDates = new ArrayList<>();
  /** Fingerprint of the rule parameters the marts snapshot of this delivery was computed with. */
  public String martsFingerprint;
  /**
   * The marts step wrote the state.* partitions of this date with its snapshot (empty ones are
   * simply absent): the next delivery can continue from them (SequenceFacts.incremental).
   */
  public boolean sequenceState;
  /** Per kind: rows read, loaded, quarantined. */
  public Map<String, Map<String, Long>> counts = new TreeMap<>();

  @JsonIgnoreProperties(ignoreUnknown = true)
  public static final class FileEntry {
    public String name;
    public long size;
    public long modified;
    public String sha256;

    public FileEntry() {}

    public FileEntry(String name, long size, long modified, String sha256) {
      this.name = name;
      this.size = size;
      this.modified = modified;
      this.sha256 = sha256;
    }
  }

  public static String path(String date) {
    return "_state/deliveries/" + date + ".json";
  }

  public static DeliveryState load(Warehouse wh, String date) throws IOException {
    if (!wh.exists(path(date))) {
      return null;
    }
    return JSON.readValue(wh.readString(path(date)), DeliveryState.class);
  }

  public String toJson() throws IOException {
    return JSON.writeValueAsString(this);
  }

  public long total(String what) {
    return counts.values().stream().mapToLong(m -> m.getOrDefault(what, 0L)).sum();
  }
}
