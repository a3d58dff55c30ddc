package baoxue.publications;

import baoxue.charts.ChartFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Base64;

/**
 * Renders a {@link Doc} as one self-contained HTML page: styles inline, charts as 2× PNG data URIs,
 * nothing fetched from anywhere. The same input gives the same bytes.
 */
public final class HtmlOut {
  private HtmlOut() {}

  public static Path write(Doc doc, Path file) throws IOException {
    return AtomicFile.writeString(file, render(doc));
  }

  static String render(Doc doc) throws IOException {
    StringBuilder b = new StringBuilder();
    b.append("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
        .append(esc(doc.title))
        .append("</title>\n<style>\n")
        .append("body{font-family:\"Noto Sans SC\",\"Source Han Sans SC\",\"Microsoft YaHei\",\"PingFang SC\",sans-serif;")
        .append("max-width:800px;margin:2em auto;padding:0 1em;color:#111;line-height:1.7}\n")
        .append("h1.title{color:#c00000;text-align:center;font-size:1.9em;margin-bottom:.2em}\n")
        .append("p.issue{text-align:center;margin:0;padding-bottom:.6em;border-bottom:2px solid #c00000}\n")
        .append("h2{font-size:1.25em;margin-top:1.4em}h3{font-size:1.05em}\n")
        .append("p.para{text-indent:2em;text-align:justify}p.note{font-size:.8em;color:#555}\n")
        .append("table{border-collapse:collapse;width:100%;font-size:.9em;margin:.5em 0 1em}")
        .append("th,td{border:1px solid #999;padding:.25em .5em;text-align:left}th{background:#eee}\n")
        .append("figure{margin:1em 0;text-align:center}figure img{max-width:100%}figcaption{font-size:.85em;color:#555}\n")
        .append("footer{margin-top:2em;font-size:.8em;color:#555;border-top:1px solid #ccc}\n")
        .append("</style>\n</head>\n<body>\n<h1 class=\"title\">")
        .append(esc(doc.title))
        .append("</h1>\n<p class=\"issue\">")
        .append(esc(doc.issueLine))
        .append("</p>\n");
    for (Doc.Block x : doc.blocks) {
      if (x instanceof Doc.Heading h) {
        String tag = h.level() == 1 ? "h2" : "h3";
        b.append('<').append(tag).append('>').append(esc(h.text())).append("</").append(tag).append(">\n");
      } else if (x instanceof Doc.Para p) {
        b.append("<p class=\"para\">").append(esc(p.text())).append("</p>\n");
      } else if (x instanceof Doc.Note n) {
        b.append("<p class=\"note\">").append(esc(n.text())).append("</p>\n");
      } else if (x instanceof Doc.Table t) {
        b.append("<table>\n<tr>");
        t.headers().forEach(hd -> b.append("<th>").append(esc(hd)).append("</th>"));
        b.append("</tr>\n");
        for (java.util.List<String> r : t.rows()) {
          b.append("<tr>");
          r.forEach(v -> b.append("<td>").append(esc(v == null ? "" : v)).append("</td>"));
          b.append("</tr>\n");
        }
        b.append("</table>\n");
      } else if (x instanceof Doc.Figure f) {
        byte[] png = ChartFiles.pngBytes(f.chart(), f.width(), f.height());
        b.append("<figure><img alt=\"")
            .append(esc(f.caption()))
            .append("\" width=\"")
            .append(f.width())
            .append("\" src=\"data:image/png;base64,")
            .append(Base64.getEncoder().encodeToString(png))
            .append("\"><figcaption>")
            .append(esc(f.caption()))
            .append("</figcaption></figure>\n");
      }
    }
    b.append("<footer>").append(esc(doc.footer)).append("</footer>\n</body>\n</html>\n");
    return b.toString();
  }

  static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
