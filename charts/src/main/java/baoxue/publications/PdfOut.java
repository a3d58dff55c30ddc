package baoxue.publications;

import baoxue.charts.Fonts;
import com.lowagie.text.Chunk;
import com.lowagie.text.Document;
import com.lowagie.text.DocumentException;
import com.lowagie.text.Element;
import com.lowagie.text.Font;
import com.lowagie.text.Image;
import com.lowagie.text.PageSize;
import com.lowagie.text.Paragraph;
import com.lowagie.text.Phrase;
import com.lowagie.text.pdf.BaseFont;
import com.lowagie.text.pdf.ColumnText;
import com.lowagie.text.pdf.FontMapper;
import com.lowagie.text.pdf.PdfContentByte;
import com.lowagie.text.pdf.PdfPCell;
import com.lowagie.text.pdf.PdfPTable;
import com.lowagie.text.pdf.PdfPageEventHelper;
import com.lowagie.text.pdf.PdfTemplate;
import com.lowagie.text.pdf.PdfWriter;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Renders a {@link Doc} as an A4 PDF: Noto Sans SC embedded (subset), a red rule under the title
 * as official briefings have, page numbers in the footer, and the charts drawn as vectors
 * (JFreeChart onto the PDF's Graphics2D, its text in the embedded font so it stays searchable).
 */
public final class PdfOut {
  private static BaseFont regular;
  private static BaseFont bold;
  private static final Color RED = new Color(0xc0, 0x00, 0x00);
  private static final Color GREY = new Color(0x55, 0x55, 0x55);

  private PdfOut() {}

  static synchronized BaseFont font(boolean isBold) {
    if (regular == null) {
      regular = load(false);
      bold = load(true);
    }
    return isBold ? bold : regular;
  }

  private static BaseFont load(boolean isBold) {
    try (InputStream in = Fonts.file(isBold)) {
      byte[] bytes = in.readAllBytes();
      return BaseFont.createFont(
          isBold ? "NotoSansSC-Bold.ttf" : "NotoSansSC-Regular.ttf", BaseFont.IDENTITY_H, BaseFont.EMBEDDED, true, bytes, null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every AWT font JFreeChart asks for is drawn with the embedded house font of the same weight. */
  static final FontMapper HOUSE =
      new FontMapper() {
        @Override
        public BaseFont awtToPdf(java.awt.Font f) {
          return font(f.getFontName().toLowerCase().contains("bold") || f.isBold());
        }

        @Override
        public java.awt.Font pdfToAwt(BaseFont f, int size) {
          return Fonts.regular(size);
        }
      };

  /** The mark printed for a character the embedded font has no glyph for (a rare name character, an emoji). */
  public static final String MISSING = "〓";

  /**
   * Text as the embedded font can draw it: a character without a glyph becomes 〓 (the mark
   * printers use for a missing character) instead of silently vanishing from the page, so an
   * inspector sees that a name has a character the PDF cannot show.
   */
  static String shown(String s) {
    BaseFont f = font(false);
    StringBuilder b = new StringBuilder(s.length());
    s.codePoints().forEach(cp -> {
      if (Character.isWhitespace(cp) || f.charExists(cp)) {
        b.appendCodePoint(cp);
      } else {
        b.append(MISSING);
      }
    });
    return b.toString();
  }

  /** Writes {@code doc} to {@code file} atomically (a temporary file renamed into place). */
  public static Path write(Doc doc, Path file) throws IOException {
    return AtomicFile.write(file, out -> render(doc, out));
  }

  static void render(Doc doc, OutputStream out) throws DocumentException {
    Document d = new Document(PageSize.A4, 56, 56, 60, 60);
    PdfWriter w = PdfWriter.getInstance(d, out);
    w.setPageEvent(
        new PdfPageEventHelper() {
          @Override
          public void onEndPage(PdfWriter writer, Document document) {
            PdfContentByte cb = writer.getDirectContent();
            Font f = new Font(font(false), 9, Font.NORMAL, GREY);
            float y = document.bottom() - 28;
            ColumnText.showTextAligned(cb, Element.ALIGN_LEFT, new Phrase(shown(doc.footer), f), document.left(), y, 0);
            ColumnText.showTextAligned(
                cb, Element.ALIGN_RIGHT, new Phrase("第 " + writer.getPageNumber() + " 页", f), document.right(), y, 0);
          }
        });
    d.addTitle(doc.title);
    d.addCreator("baoxue");
    d.open();
    Paragraph title = new Paragraph(shown(doc.title), new Font(font(true), 22, Font.NORMAL, RED));
    title.setAlignment(Element.ALIGN_CENTER);
    title.setSpacingAfter(8);
    d.add(title);
    Paragraph issue = new Paragraph(shown(doc.issueLine), new Font(font(false), 10.5f, Font.NORMAL, Color.BLACK));
    issue.setAlignment(Element.ALIGN_CENTER);
    d.add(issue);
    PdfPTable rule = new PdfPTable(1);
    rule.setWidthPercentage(100);
    rule.setSpacingBefore(4);
    rule.setSpacingAfter(10);
    PdfPCell line = new PdfPCell(new Phrase("", new Font(font(false), 2)));
    line.setBorder(PdfPCell.BOTTOM);
    line.setBorderColorBottom(RED);
    line.setBorderWidthBottom(1.5f);
    line.setFixedHeight(2);
    rule.addCell(line);
    d.add(rule);
    float width = d.right() - d.left();
    for (int i = 0; i < doc.blocks.size(); i++) {
      Doc.Block b = doc.blocks.get(i);
      if (b instanceof Doc.Heading h) {
        // a heading never ends a page: it needs room for itself and the start of what follows
        Doc.Block next = i + 1 < doc.blocks.size() ? doc.blocks.get(i + 1) : null;
        float need = 40 + (next instanceof Doc.Figure f ? f.height() * Math.min(1f, width / f.width()) + 30 : 60);
        if (w.getVerticalPosition(true) - d.bottom() < need) {
          d.newPage();
        }
        Paragraph p = new Paragraph(shown(h.text()), new Font(font(true), h.level() == 1 ? 14 : 12, Font.NORMAL, Color.BLACK));
        p.setSpacingBefore(h.level() == 1 ? 12 : 8);
        p.setSpacingAfter(4);
        p.setKeepTogether(true);
        d.add(p);
      } else if (b instanceof Doc.Para x) {
        Paragraph p = new Paragraph(18, shown(x.text()), new Font(font(false), 11, Font.NORMAL, Color.BLACK));
        p.setFirstLineIndent(22);
        p.setSpacingAfter(4);
        p.setAlignment(Element.ALIGN_LEFT); // justified lines stretch the gaps around long Latin runs (hashes, codes)
        d.add(p);
      } else if (b instanceof Doc.Note n) {
        Paragraph p = new Paragraph(14, shown(n.text()), new Font(font(false), 8.5f, Font.NORMAL, GREY));
        p.setSpacingAfter(4);
        d.add(p);
      } else if (b instanceof Doc.Table t) {
        d.add(table(t));
      } else if (b instanceof Doc.Figure f) {
        float scale = Math.min(1f, width / f.width());
        PdfTemplate tp = w.getDirectContent().createTemplate(f.width(), f.height());
        Graphics2D g = tp.createGraphics(f.width(), f.height(), HOUSE);
        f.chart().draw(g, new Rectangle2D.Double(0, 0, f.width(), f.height()));
        g.dispose();
        Image img = Image.getInstance(tp);
        img.scalePercent(scale * 100);
        img.setAlignment(Element.ALIGN_CENTER);
        // the chart and its caption stay on one page: a borderless one-column table kept together
        PdfPTable box = new PdfPTable(1);
        box.setWidthPercentage(100);
        box.setKeepTogether(true);
        box.setSpacingBefore(6);
        box.setSpacingAfter(10);
        PdfPCell pic = new PdfPCell(img, false);
        pic.setBorder(PdfPCell.NO_BORDER);
        pic.setHorizontalAlignment(Element.ALIGN_CENTER);
        box.addCell(pic);
        PdfPCell cap = new PdfPCell(new Phrase(shown(f.caption()), new Font(font(false), 9.5f, Font.NORMAL, GREY)));
        cap.setBorder(PdfPCell.NO_BORDER);
        cap.setHorizontalAlignment(Element.ALIGN_CENTER);
        box.addCell(cap);
        d.add(box);
      }
    }
    d.close();
  }

  private static PdfPTable table(Doc.Table t) throws DocumentException {
    PdfPTable pt = new PdfPTable(t.headers().size());
    pt.setWidthPercentage(100);
    if (t.widths() != null && t.widths().length == t.headers().size()) {
      pt.setWidths(t.widths());
    }
    pt.setHeaderRows(1);
    pt.setSpacingBefore(4);
    pt.setSpacingAfter(8);
    Font hf = new Font(font(true), 9.5f, Font.NORMAL, Color.BLACK);
    Font cf = new Font(font(false), 9.5f, Font.NORMAL, Color.BLACK);
    for (String h : t.headers()) {
      PdfPCell c = new PdfPCell(new Phrase(shown(h), hf));
      c.setBackgroundColor(new Color(0xee, 0xee, 0xee));
      c.setPadding(4);
      pt.addCell(c);
    }
    for (java.util.List<String> r : t.rows()) {
      for (String v : r) {
        PdfPCell c = new PdfPCell(new Phrase(v == null ? "" : shown(v), cf));
        c.setPadding(4);
        pt.addCell(c);
      }
    }
    return pt;
  }
}
