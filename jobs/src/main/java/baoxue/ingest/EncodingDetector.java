package baoxue.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Detects a delivered file's encoding, per file (extracts.md: never configured globally). A UTF-8
 * BOM means UTF-8; otherwise a file that decodes as strict UTF-8 is UTF-8, else one that decodes as
 * strict GB18030 (a superset of GBK) is GB18030. Anything else, or a file with NUL bytes, is not a
 * text extract.
 */
public final class EncodingDetector {
  public static final Charset GB18030 = Charset.forName("GB18030");

  /** What was found: the charset, whether a BOM must be skipped, and the line ending seen. */
  public record Detected(Charset charset, boolean bom, String lineEnding, String problem) {
    public boolean ok() {
      return problem == null;
    }

    /** Label for the ingest log, e.g. {@code UTF-8+BOM/CRLF}. */
    public String label() {
      if (!ok()) {
        return "unknown";
      }
      String cs = charset.equals(StandardCharsets.UTF_8) ? "UTF-8" : "GB18030";
      return cs + (bom ? "+BOM" : "") + "/" + lineEnding;
    }
  }

  @FunctionalInterface
  public interface Source {
    InputStream open() throws IOException;
  }

  private EncodingDetector() {}

  public static Detected detect(Source source) throws IOException {
    boolean bom;
    Scan scan;
    try (InputStream in = source.open()) {
      byte[] head = in.readNBytes(3);
      bom = head.length == 3 && (head[0] & 0xFF) == 0xEF && (head[1] & 0xFF) == 0xBB && (head[2] & 0xFF) == 0xBF;
      if (head.length >= 2
          && (((head[0] & 0xFF) == 0xFF && (head[1] & 0xFF) == 0xFE)
              || ((head[0] & 0xFF) == 0xFE && (head[1] & 0xFF) == 0xFF))) {
        return new Detected(null, false, null, "文件是 UTF-16 编码，请另存为 UTF-8 或 GBK 的 CSV");
      }
      scan = scan(head, bom, in, StandardCharsets.UTF_8);
    }
    if (scan.binary) {
      return new Detected(null, false, null, "文件含有二进制内容（NUL 字节），不是 CSV 文本文件");
    }
    if (scan.valid) {
      return new Detected(StandardCharsets.UTF_8, bom, scan.lineEnding(), null);
    }
    try (InputStream in = source.open()) {
      scan = scan(new byte[0], false, in, GB18030);
    }
    if (scan.valid) {
      return new Detected(GB18030, false, scan.lineEnding(), null);
    }
    return new Detected(null, false, null, "无法识别文件编码（既不是 UTF-8 也不是 GB18030/GBK）");
  }

  private static final class Scan {
    boolean valid = true;
    boolean binary;
    boolean crlf;
    boolean lf;

    String lineEnding() {
      if (crlf && lf) {
        return "mixed";
      }
      return crlf ? "CRLF" : "LF";
    }
  }

  private static Scan scan(byte[] head, boolean skipHead, InputStream rest, Charset cs) throws IOException {
    Scan s = new Scan();
    CharsetDecoder dec =
        cs.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.allocate(1 << 16);
    CharBuffer out = CharBuffer.allocate(1 << 16);
    if (!skipHead) {
      in.put(head);
    }
    byte[] chunk = new byte[1 << 15];
    int prev = -1;
    boolean eof = false;
    while (true) {
      if (!eof) {
        int n = rest.read(chunk, 0, Math.min(chunk.length, in.remaining()));
        if (n < 0) {
          eof = true;
        } else {
          in.put(chunk, 0, n);
        }
      }
      in.flip();
      for (int i = in.position(); i < in.limit(); i++) {
        byte b = in.get(i);
        if (b == 0) {
          s.binary = true;
          s.valid = false;
          return s;
        }
      }
      CoderResult r = dec.decode(in, out, eof);
      if (r.isError()) {
        s.valid = false;
        return s;
      }
      out.flip();
      while (out.hasRemaining()) {
        char c = out.get();
        if (c == '\n') {
          if (prev == '\r') {
            s.crlf = true;
          } else {
            s.lf = true;
          }
        }
        prev = c;
      }
      out.clear();
      in.compact();
      if (eof && in.position() == 0) {
        CoderResult f = dec.flush(out);
        if (f.isError()) {
          s.valid = false;
        }
        return s;
      }
      if (eof) {
        // Bytes left that the decoder could not consume at end of input: malformed.
        s.valid = false;
        return s;
      }
    }
  }
}
