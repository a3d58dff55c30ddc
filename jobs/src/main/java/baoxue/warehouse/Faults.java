package baoxue.warehouse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Named crash points for the crash-safety tests. With the system property {@code baoxue.crashAt}
 * set to a point's name, the run dies there as a killed process would (nothing after it runs).
 * With {@code baoxue.pauseAt} set to a point's name, the process writes the name to the file
 * {@code baoxue.pauseFile} and stops there for good, so that a test can look at the warehouse
 * and then {@code kill -9} it at exactly that point. Unset in production, where each call is two
 * property look-ups.
 */
public final class Faults {
  private Faults() {}

  public static void point(String name) {
    String at = System.getProperty("baoxue.crashAt");
    if (at != null && name.equals(at)) {
      throw new InjectedCrash(name);
    }
    String pause = System.getProperty("baoxue.pauseAt");
    if (pause != null && name.equals(pause)) {
      pauseForever(name, Path.of(System.getProperty("baoxue.pauseFile", "baoxue.paused")));
    }
  }

  private static void pauseForever(String name, Path file) {
    try {
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, name, StandardCharsets.UTF_8);
      Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      while (true) {
        Thread.sleep(60_000);
      }
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException("pause at " + name + " failed", e);
    }
  }

  /** The simulated crash. */
  public static final class InjectedCrash extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InjectedCrash(String point) {
      super("injected crash at " + point);
    }
  }
}
