package baoxue.privacy;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * student_key = first 16 hex characters (lower case) of HMAC-SHA256(key = BAOXUE_PSEUDONYM_KEY,
 * message = 全国学籍号), as indicators.md fixes it.
 */
public final class Pseudonym implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final String ENV = "BAOXUE_PSEUDONYM_KEY";

  /** The demo's fixed key. Only `./baoxue demo` and the tests use it, and they say so. */
  public static final String DEMO_KEY = "baoxue-demo-key-not-for-production";

  private final byte[] key;
  private transient Mac mac;

  public Pseudonym(String secret) {
    if (secret == null || secret.isBlank()) {
      throw new IllegalArgumentException("pseudonym key is empty");
    }
    this.key = secret.getBytes(StandardCharsets.UTF_8);
  }

  /** The key from the environment, or a clear refusal. */
  public static Pseudonym fromEnvironment() {
    String s = System.getenv(ENV);
    if (s == null || s.isBlank()) {
      throw new MissingKeyException();
    }
    return new Pseudonym(s);
  }

  public String studentKey(String studentNo) {
    try {
      if (mac == null) {
        mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
      }
      byte[] h = mac.doFinal(studentNo.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(h, 0, 8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  /** Thrown when BAOXUE_PSEUDONYM_KEY is not set; the run refuses to start. */
  public static final class MissingKeyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MissingKeyException() {
      super(
          "未设置环境变量 "
              + ENV
              + "：没有假名化密钥，拒绝运行。请设置一个只有本局掌握的随机密钥，例如 export "
              + ENV
              + "=$(openssl rand -hex 32)，并妥善保存（更换密钥会改变所有 student_key）。");
    }
  }
}
