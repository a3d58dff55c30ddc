package baoxue.inspect;

import baoxue.publications.AtomicFile;
import baoxue.publications.Views;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The 季查 draw: a secret seed committed to at the start of the quarter (its SHA-256 published),
 * then on the day of the visit a weighted draw without replacement (Efraimidis–Spirakis: each
 * school's key is ln(u)/w with u from HMAC-SHA256(seed, quarter|date|school)), first of schools,
 * then of classes within each drawn school. Nobody can know the draw before the seed is revealed,
 * and nobody can change it afterwards: anyone with the revealed seed and the warehouse re-derives
 * it ({@link #verify}).
 */
public final class Draw {
  static final String PREFIX = "baoxue-inspection-v1|";
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  /** Simulated draws used to estimate each school's chance of being drawn (fixed, so the estimate is reproducible). */
  static final int SIMULATIONS = 4000;

  private Draw() {}

  /** A drawn class with its weight and its estimated chance within its school. */
  public record DrawnClass(long grade, String clazz, long size, double weight, double probability, List<RiskFrame.Signal> signals) {}

  /** A drawn school with its weight, estimated chance and drawn classes. */
  public record DrawnSchool(String code, String name, String township, double weight, double probability, List<RiskFrame.Signal> signals, List<DrawnClass> classes) {}

  /** The outcome of a draw (what is recorded and printed; the seed never is). */
  public record Result(Quarter quarter, LocalDate date, LocalDate asOf, int schools, int classesPerSchool, String commitment, String frameDigest,
      String rules, List<DrawnSchool> drawn, RiskFrame.Frame frame) {}

  // ------------------------------------------------------------------ files

  public static Path seedFile(Path wh, Quarter q) {
    return wh.resolve("restricted").resolve("inspection").resolve(q.id() + ".seed");
  }

  static Path dir(Path wh, Quarter q) {
    return wh.resolve("inspection").resolve(q.id());
  }

  public static Path commitmentFile(Path wh, Quarter q) {
    return dir(wh, q).resolve("commitment.txt");
  }

  public static Path recordFile(Path wh, Quarter q, LocalDate d) {
    return dir(wh, q).resolve("draw_" + d + ".json");
  }

  /** SHA-256 of the quarter and the seed: what is published before the quarter. */
  public static String commitment(Quarter q, String seedHex) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest((PREFIX + q.id() + "|" + seedHex.toLowerCase()).getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Creates the quarter's secret seed (32 random bytes) in the restricted zone, owner-only, and
   * writes its commitment; refuses if the quarter already has one (a second seed would let the
   * office pick the draw it likes). Returns the commitment.
   */
  public static String commit(Path wh, Quarter q) throws IOException {
    if (!Files.isDirectory(wh.resolve("restricted"))) {
      throw new IllegalArgumentException(wh + " 不是 baoxue 仓库（没有 restricted/）。");
    }
    Path seed = seedFile(wh, q);
    if (Files.exists(seed) || Files.exists(commitmentFile(wh, q))) {
      String c = Files.exists(commitmentFile(wh, q)) ? Files.readString(commitmentFile(wh, q)).strip() : "(承诺文件缺失)";
      throw new IllegalStateException(q.id() + " 已经有种子和承诺：" + c + "。同一季度不能重新生成种子，否则抽签结果可以被挑选。");
    }
    byte[] b = new byte[32];
    new SecureRandom().nextBytes(b);
    String hex = HexFormat.of().formatHex(b);
    Files.createDirectories(seed.getParent());
    Path tmp = seed.resolveSibling(seed.getFileName() + ".tmp");
    Files.writeString(tmp, hex + "\n");
    try {
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      Files.setPosixFilePermissions(seed.getParent(), PosixFilePermissions.fromString("rwx------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: the restricted zone's own protection applies
    }
    Files.move(tmp, seed, StandardCopyOption.ATOMIC_MOVE);
    String c = commitment(q, hex);
    AtomicFile.writeString(commitmentFile(wh, q), q.id() + " sha256:" + c + "\n");
    return c;
  }

  /** The published commitment of the quarter. */
  public static String publishedCommitment(Path wh, Quarter q) throws IOException {
    Path f = commitmentFile(wh, q);
    if (!Files.exists(f)) {
      throw new IllegalArgumentException(q.id() + " 还没有承诺：季度开始时先运行 ./baoxue inspect commit --quarter " + q.id() + "。");
    }
    String s = Files.readString(f).strip();
    return s.substring(s.indexOf("sha256:") + 7);
  }

  // ------------------------------------------------------------------ the draw

  /** Draws as of {@code date} with the quarter's stored seed and records it; the seed is not printed. */
  public static Result draw(Path wh, Quarter q, LocalDate date, int schools, int classes, InspectionRules rules) throws Exception {
    if (!q.contains(date)) {
      throw new IllegalArgumentException("抽签日期 " + date + " 不在 " + q.id() + "（" + q.first() + " 至 " + q.last() + "）内。");
    }
    if (schools < 1 || classes < 1) {
      throw new IllegalArgumentException("--schools 和 --classes-per-school 至少为 1。");
    }
    Path seed = seedFile(wh, q);
    if (!Files.exists(seed)) {
      throw new IllegalArgumentException(q.id() + " 还没有种子：季度开始时先运行 ./baoxue inspect commit --quarter " + q.id() + " 并公布承诺。");
    }
    String hex = Files.readString(seed).strip();
    String c = publishedCommitment(wh, q);
    if (!commitment(q, hex).equals(c)) {
      throw new IllegalStateException("受限区里的种子与 " + q.id() + " 公布的承诺不符：种子或承诺文件被改动过，不能抽签。");
    }
    RiskFrame.Frame frame;
    try (Views v = Views.open(wh)) {
      frame = RiskFrame.compute(v, date, q, rules);
    }
    Result r = select(HexFormat.of().parseHex(hex), q, frame, schools, classes, c);
    AtomicFile.writeString(recordFile(wh, q, date), JSON.writeValueAsString(record(r)));
    return r;
  }

  /** The draw itself: pure, from the seed bytes and the frame. */
  static Result select(byte[] seed, Quarter q, RiskFrame.Frame frame, int k, int c, String commitment) {
    Map<String, Double> w = new LinkedHashMap<>();
    frame.schools().forEach(s -> w.put(s.code(), s.weight()));
    List<String> chosen = top(w, key -> u(seed, "school|" + q.id() + "|" + frame.date() + "|" + key), k);
    Map<String, Double> p = chances(w, k);
    List<DrawnSchool> drawn = new ArrayList<>();
    for (String code : chosen) {
      RiskFrame.School s = frame.schools().stream().filter(x -> x.code().equals(code)).findFirst().orElseThrow();
      Map<String, Double> cw = new LinkedHashMap<>();
      Map<String, RiskFrame.Clazz> byKey = new LinkedHashMap<>();
      for (RiskFrame.Clazz x : frame.classesOf(code)) {
        String key = x.grade() + "|" + x.clazz();
        cw.put(key, x.weight());
        byKey.put(key, x);
      }
      List<String> cls = top(cw, key -> u(seed, "class|" + q.id() + "|" + frame.date() + "|" + code + "|" + key), c);
      Map<String, Double> cp = chances(cw, c);
      List<DrawnClass> dc = new ArrayList<>();
      for (String key : cls) {
        RiskFrame.Clazz x = byKey.get(key);
        dc.add(new DrawnClass(x.grade(), x.clazz(), x.size(), x.weight(), cp.get(key), x.signals()));
      }
      dc.sort(Comparator.comparingLong(DrawnClass::grade).thenComparing(DrawnClass::clazz));
      drawn.add(new DrawnSchool(code, s.name(), s.township(), s.weight(), p.get(code), s.signals(), List.copyOf(dc)));
    }
    return new Result(q, frame.date(), frame.asOf(), k, c, commitment, frame.digest(), frame.rules(), List.copyOf(drawn), frame);
  }

  /** The k keys with the largest ln(u)/w, in drawing order (ties, which need equal 53-bit u, by key). */
  static List<String> top(Map<String, Double> weights, java.util.function.Function<String, Double> u, int k) {
    record Keyed(String key, double v) {}
    List<Keyed> all = new ArrayList<>();
    weights.forEach((key, w) -> all.add(new Keyed(key, Math.log(u.apply(key)) / w)));
    all.sort(Comparator.comparingDouble(Keyed::v).reversed().thenComparing(Keyed::key));
    return all.stream().limit(k).map(Keyed::key).toList();
  }

  /** A uniform number in (0, 1) from HMAC-SHA256(seed, message). */
  static double u(byte[] seed, String message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(seed, "HmacSHA256"));
      byte[] h = mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
      long x = 0;
      for (int i = 0; i < 8; i++) {
        x = (x << 8) | (h[i] & 0xff);
      }
      return ((x >>> 11) + 0.5) / (double) (1L << 53);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The estimates of {@link #chances} already made: they depend only on the weights (in their
   * order) and k, so the same frame's schools are simulated once however often it is drawn from
   * (a verification re-draws every record; the fairness test draws 3,000 times).
   */
  private static final Map<List<Object>, Map<String, Double>> CHANCES =
      java.util.Collections.synchronizedMap(
          new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<List<Object>, Map<String, Double>> eldest) {
              return size() > 256;
            }
          });

  /** Each key's chance of being among the k drawn, estimated by simulated draws with a fixed generator. */
  static Map<String, Double> chances(Map<String, Double> weights, int k) {
    List<Object> key = new ArrayList<>();
    weights.forEach((name, w) -> {
      key.add(name);
      key.add(w);
    });
    key.add(k);
    return CHANCES.computeIfAbsent(List.copyOf(key), x -> java.util.Collections.unmodifiableMap(simulate(weights, k)));
  }

  private static Map<String, Double> simulate(Map<String, Double> weights, int k) {
    Map<String, Double> out = new LinkedHashMap<>();
    weights.keySet().forEach(key -> out.put(key, 0.0));
    if (k >= weights.size()) {
      weights.keySet().forEach(key -> out.put(key, 1.0));
      return out;
    }
    SplittableRandom rnd = new SplittableRandom(20250901L);
    for (int i = 0; i < SIMULATIONS; i++) {
      for (String key : top(weights, x -> rnd.nextDouble(Double.MIN_VALUE, 1.0), k)) {
        out.merge(key, 1.0 / SIMULATIONS, Double::sum);
      }
    }
    return out;
  }

  // ------------------------------------------------------------------ verification

  /** What verify found: passed or not, and every line it has to say. */
  public record Verdict(boolean ok, List<String> lines) {}

  /**
   * Checks the revealed seed against the published commitment, then re-derives every recorded
   * draw of the quarter (or the one of {@code date}) from the seed and the warehouse as it is now.
   */
  public static Verdict verify(Path wh, Quarter q, String seedHex, LocalDate date, InspectionRules rules) throws Exception {
    List<String> lines = new ArrayList<>();
    String hex = seedHex == null ? "" : seedHex.strip().toLowerCase();
    if (!hex.matches("[0-9a-f]{64}")) {
      return new Verdict(false, List.of("种子应是 64 位十六进制数（commit 时生成、季度结束后公布的那个），而不是 “" + seedHex + "”。"));
    }
    String published = publishedCommitment(wh, q);
    if (!commitment(q, hex).equals(published)) {
      return new Verdict(false, List.of("种子与 " + q.id() + " 公布的承诺不符：SHA-256 为 " + commitment(q, hex) + "，公布的是 " + published + "。"));
    }
    lines.add("种子与 " + q.id() + " 公布的承诺相符（sha256:" + published + "）。");
    List<Path> records = new ArrayList<>();
    if (date != null) {
      Path f = recordFile(wh, q, date);
      if (!Files.exists(f)) {
        lines.add(q.id() + " 没有截至 " + date + " 的抽签记录；已有的记录：" + existing(wh, q) + "。");
        return new Verdict(false, lines);
      }
      records.add(f);
    } else {
      try (var s = Files.list(dir(wh, q))) {
        s.filter(p -> p.getFileName().toString().startsWith("draw_")).sorted().forEach(records::add);
      }
      if (records.isEmpty()) {
        lines.add(q.id() + " 还没有抽签记录。");
        return new Verdict(false, lines);
      }
    }
    boolean ok = true;
    for (Path f : records) {
      JsonNode rec = JSON.readTree(Files.readString(f));
      LocalDate d = LocalDate.parse(rec.path("date").asText());
      RiskFrame.Frame frame;
      try (Views v = Views.open(wh)) {
        frame = RiskFrame.compute(v, d, q, rules);
      }
      Result again = select(HexFormat.of().parseHex(hex), q, frame, rec.path("schools").asInt(), rec.path("classes_per_school").asInt(), published);
      String recorded = rec.path("frame_digest").asText();
      if (!again.frameDigest().equals(recorded)) {
        ok = false;
        lines.add(d + " 的抽签：仓库截至 " + d + " 的数据与抽签时不同（风险框架摘要 " + again.frameDigest().substring(0, 12) + "… ≠ 记录中的 "
            + recorded.substring(0, Math.min(12, recorded.length())) + "…），抽签后仓库被改动或重算过。" + differences(rec, frame));
        continue;
      }
      List<String> want = new ArrayList<>();
      rec.path("drawn").forEach(s -> {
        StringBuilder b = new StringBuilder(s.path("school_code").asText());
        s.path("classes").forEach(c -> b.append('|').append(c.path("grade").asText()).append('-').append(c.path("class").asText()));
        want.add(b.toString());
      });
      List<String> got = new ArrayList<>();
      for (DrawnSchool s : again.drawn()) {
        StringBuilder b = new StringBuilder(s.code());
        s.classes().forEach(c -> b.append('|').append(c.grade()).append('-').append(c.clazz()));
        got.add(b.toString());
      }
      if (!want.equals(got)) {
        ok = false;
        lines.add(d + " 的抽签：用这个种子重新抽得 " + got + "，记录中是 " + want + "：记录被改动过。");
      } else {
        lines.add(d + " 的抽签核对通过：数据摘要一致，重新抽得同样的 " + got.size() + " 所学校和各校的班级。");
      }
    }
    return new Verdict(ok, lines);
  }

  private static String existing(Path wh, Quarter q) throws IOException {
    if (!Files.isDirectory(dir(wh, q))) {
      return "无";
    }
    try (var s = Files.list(dir(wh, q))) {
      List<String> d = s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("draw_")).sorted()
          .map(n -> n.substring(5, n.length() - 5)).toList();
      return d.isEmpty() ? "无" : String.join("、", d);
    }
  }

  /** Which schools' weights differ between the record and the warehouse now. */
  private static String differences(JsonNode rec, RiskFrame.Frame now) {
    Map<String, Double> then = new LinkedHashMap<>();
    rec.path("frame").path("schools").forEach(s -> then.put(s.path("school_code").asText(), s.path("weight").asDouble()));
    List<String> diff = new ArrayList<>();
    for (RiskFrame.School s : now.schools()) {
      Double w = then.remove(s.code());
      if (w == null) {
        diff.add(s.code() + " 抽签时不在框架里");
      } else if (Math.abs(w - s.weight()) > 1e-9) {
        diff.add(s.code() + " 的权重 " + RiskFrame.num(w) + " → " + RiskFrame.num(s.weight()));
      }
    }
    then.keySet().forEach(code -> diff.add(code + " 现在不在框架里"));
    if (!now.asOf().toString().equals(rec.path("as_of").asText())) {
      diff.add(0, "快照日期 " + rec.path("as_of").asText() + " → " + now.asOf());
    }
    return diff.isEmpty() ? "（学校权重相同，差异在班级）" : "差异：" + String.join("；", diff) + "。";
  }

  // ------------------------------------------------------------------ the record

  static ObjectNode record(Result r) {
    ObjectNode o = JSON.createObjectNode();
    o.put("quarter", r.quarter().id());
    o.put("date", r.date().toString());
    o.put("as_of", r.asOf().toString());
    o.put("schools", r.schools());
    o.put("classes_per_school", r.classesPerSchool());
    o.put("commitment", r.commitment());
    o.put("rules", r.rules());
    o.put("frame_digest", r.frameDigest());
    ArrayNode drawn = o.putArray("drawn");
    for (DrawnSchool s : r.drawn()) {
      ObjectNode x = drawn.addObject();
      x.put("school_code", s.code());
      x.put("school_name", s.name());
      x.put("weight", s.weight());
      x.put("probability", Math.round(s.probability() * 1000) / 1000.0);
      ArrayNode cls = x.putArray("classes");
      for (DrawnClass c : s.classes()) {
        ObjectNode y = cls.addObject();
        y.put("grade", c.grade());
        y.put("class", c.clazz());
        y.put("weight", c.weight());
        y.put("probability", Math.round(c.probability() * 1000) / 1000.0);
      }
    }
    ObjectNode frame = o.putObject("frame");
    ArrayNode schools = frame.putArray("schools");
    for (RiskFrame.School s : r.frame().schools()) {
      ObjectNode x = schools.addObject();
      x.put("school_code", s.code());
      x.put("school_name", s.name());
      x.put("weight", s.weight());
      signals(x, s.signals());
    }
    ArrayNode classes = frame.putArray("classes");
    for (RiskFrame.Clazz c : r.frame().classes()) {
      ObjectNode x = classes.addObject();
      x.put("school_code", c.school());
      x.put("grade", c.grade());
      x.put("class", c.clazz());
      x.put("size", c.size());
      x.put("weight", c.weight());
      signals(x, c.signals());
    }
    return o;
  }

  private static void signals(ObjectNode x, List<RiskFrame.Signal> signals) {
    ArrayNode a = x.putArray("signals");
    for (RiskFrame.Signal g : signals) {
      a.addObject().put("key", g.key()).put("points", g.points()).put("why", g.why());
    }
  }
}
