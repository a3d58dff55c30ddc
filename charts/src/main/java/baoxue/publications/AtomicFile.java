package baoxue.publications;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Every output file appears whole or not at all: written to {@code <name>.tmp}, then renamed into place. */
public final class AtomicFile {
  /** Writes the content to an output stream. */
  public interface Body {
    void writeTo(OutputStream out) throws Exception;
  }

  private AtomicFile() {}

  public static Path write(Path file, Body body) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (OutputStream out = Files.newOutputStream(tmp)) {
      body.writeTo(out);
    } catch (IOException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException(file.getFileName() + " 生成失败：" + e.getMessage(), e);
    }
    baoxue.warehouse.Faults.point("publish:" + file.getFileName());
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return file;
  }

  public static Path writeString(Path file, String text) throws IOException {
    return write(file, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
  }
}
