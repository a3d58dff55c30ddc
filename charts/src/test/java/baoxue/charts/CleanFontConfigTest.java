package baoxue.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Every chart renders with a CJK font on a machine without system fonts: a child JVM runs with a
 * fontconfig that lists no font directory (FONTCONFIG_FILE), so whatever this machine has
 * installed is invisible, and {@link RenderWithoutSystemFonts} renders and checks every chart.
 */
class CleanFontConfigTest {
  @Test
  void chartsRenderWithOnlyTheShippedFont() throws Exception {
    Path dir = Files.createTempDirectory("cleanfonts");
    Path conf = dir.resolve("fonts.conf");
    Files.writeString(
        conf,
        "<?xml version=\"1.0\"?>\n<!DOCTYPE fontconfig SYSTEM \"fonts.dtd\">\n<fontconfig>\n  <cachedir>" + dir.resolve("cache") + "</cachedir>\n</fontconfig>\n");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
                List.of(java, "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"), RenderWithoutSystemFonts.class.getName(), dir.toString()))
            .redirectErrorStream(true);
    pb.environment().put("FONTCONFIG_FILE", conf.toString());
    pb.environment().remove("FONTCONFIG_PATH");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), out);
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("draw Chinese: 0"), out);
    assertTrue(out.contains("all in Noto Sans SC"), out);
    for (String c : ChartsTest.all().keySet()) {
      assertTrue(Files.size(dir.resolve(c + ".png")) > 10_000, c);
    }
  }
}
