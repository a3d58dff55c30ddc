package baoxue.publications;

import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.JFreeChart;

/**
 * A publication as plain blocks (headings, paragraphs, tables, figures), rendered the same way to
 * PDF ({@link PdfOut}) and to a self-contained HTML page ({@link HtmlOut}), so both carry the same
 * content.
 */
public final class Doc {
  /** A block of the body. */
  public sealed interface Block permits Heading, Para, Table, Figure, Note {}

  /** A section heading (level 1 or 2). */
  public record Heading(int level, String text) implements Block {}

  /** A paragraph of prose. */
  public record Para(String text) implements Block {}

  /** A small print note (sources, definitions). */
  public record Note(String text) implements Block {}

  /** A table with a header row; every cell is text. */
  public record Table(List<String> headers, List<List<String>> rows, float[] widths) implements Block {}

  /** A chart drawn at {@code width} × {@code height} points (vector in the PDF, 2× PNG in HTML). */
  public record Figure(JFreeChart chart, String caption, int width, int height) implements Block {}

  public final String title;
  public final String issueLine;
  public final String footer;
  public final List<Block> blocks = new ArrayList<>();

  /**
   * @param title the title, e.g. 《控辍保学简报》
   * @param issueLine the line under the title: issuer, issue number and date
   * @param footer the running footer next to the page number
   */
  public Doc(String title, String issueLine, String footer) {
    this.title = title;
    this.issueLine = issueLine;
    this.footer = footer;
  }

  public Doc h1(String text) {
    blocks.add(new Heading(1, text));
    return this;
  }

  public Doc h2(String text) {
    blocks.add(new Heading(2, text));
    return this;
  }

  public Doc para(String text) {
    blocks.add(new Para(text));
    return this;
  }

  public Doc note(String text) {
    blocks.add(new Note(text));
    return this;
  }

  public Doc table(List<String> headers, List<List<String>> rows, float... widths) {
    blocks.add(new Table(headers, rows, widths));
    return this;
  }

  public Doc figure(JFreeChart chart, String caption, int width, int height) {
    blocks.add(new Figure(chart, caption, width, height));
    return this;
  }
}
