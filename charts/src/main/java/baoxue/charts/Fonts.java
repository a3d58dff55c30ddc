package baoxue.charts;

import java.awt.Font;
import java.awt.FontFormatException;
import java.awt.GraphicsEnvironment;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The house font: Noto Sans SC (SIL OFL 1.1), shipped in the jar by the build
 * (charts/pom.xml fetches it from the npm registry) and loaded explicitly, so Chinese text renders
 * on a machine with no CJK font installed. Never rely on a logical font ("SansSerif"): on such a
 * machine it would draw boxes.
 */
public final class Fonts {
  public static final String FAMILY = "Noto Sans SC";
  private static Font regular;
  private static Font bold;

  private Fonts() {}

  private static synchronized void load() {
    if (regular != null) {
      return;
    }
    regular = read("baoxue/fonts/NotoSansSC_400Regular.ttf");
    bold = read("baoxue/fonts/NotoSansSC_700Bold.ttf");
    GraphicsEnvironment ge = GraphicsEnvironment.getLocalGraphicsEnvironment();
    ge.registerFont(regular);
    ge.registerFont(bold);
  }

  private static Font read(String resource) {
    try (InputStream in = Fonts.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("字体 " + resource + " 不在 classpath 上：请用 Maven 重新构建（charts 模块会下载 Noto Sans SC）");
      }
      return Font.createFont(Font.TRUETYPE_FONT, in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (FontFormatException e) {
      throw new IllegalStateException("字体 " + resource + " 无法读取", e);
    }
  }

  public static Font regular(float size) {
    load();
    return regular.deriveFont(Font.PLAIN, size);
  }

  public static Font bold(float size) {
    load();
    return bold.deriveFont(Font.PLAIN, size);
  }

  /** The TrueType file of a weight (for PDF embedding). */
  public static InputStream file(boolean isBold) {
    return Fonts.class.getClassLoader()
        .getResourceAsStream(isBold ? "baoxue/fonts/NotoSansSC_700Bold.ttf" : "baoxue/fonts/NotoSansSC_400Regular.ttf");
  }

  /** Fails if the house font cannot draw every character of {@code text} (it would show boxes). */
  public static void check(Font f, String text) {
    int i = f.canDisplayUpTo(text);
    if (i >= 0) {
      throw new IllegalStateException("字体 " + f.getFontName() + " 不能显示 “" + text + "” 的第 " + (i + 1) + " 个字符");
    }
  }
}
