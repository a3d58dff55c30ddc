package baoxue.ingest;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * An RFC 4180 reader that keeps physical line numbers: comma separator, double-quote quoting with
 * doubled quotes inside, LF or CRLF, line breaks inside quoted cells. Blank lines are skipped. A
 * record that reaches end of file inside quotes is returned with an error, not guessed at.
 */
public final class CsvRecordReader {
  /** The raw text kept per record for the restricted quarantine copy. */
  public static final int RAW_LIMIT = 2000;

  /** Upper bound for one cell, so that a hostile file cannot exhaust memory. */
  public static final int CELL_LIMIT = 1 << 20;

  /** One record: the physical line it starts on (1-based), its cells and its raw text. */
  public record Record(int line, List<String> cells, String raw, String error) {}

  private final Reader in;
  private final char[] buf = new char[1 << 16];
  private int pos;
  private int len;
  private int line = 1;

  public CsvRecordReader(Reader in) {
    this.in = in;
  }

  private int read() throws IOException {
    if (pos == len) {
      len = in.read(buf, 0, buf.length);
      pos = 0;
      if (len <= 0) {
        len = 0;
        return -1;
      }
    }
    return buf[pos++];
  }

  private int peek() throws IOException {
    if (pos == len) {
      len = in.read(buf, 0, buf.length);
      pos = 0;
      if (len <= 0) {
        len = 0;
        return -1;
      }
    }
    return buf[pos];
  }

  /** The next non-blank record, or null at end of file. */
  public Record next() throws IOException {
    while (true) {
      int start = line;
      List<String> cells = new ArrayList<>();
      StringBuilder cell = new StringBuilder();
      StringBuilder raw = new StringBuilder();
      boolean inQuotes = false;
      boolean quoted = false;
      boolean any = false;
      String error = null;
      while (true) {
        int c = read();
        if (c == -1) {
          if (!any) {
            return null;
          }
          if (inQuotes) {
            error = "引号未闭合：文件在引号内结束（从第 " + start + " 行起）";
          }
          cells.add(cell.toString());
          return new Record(start, cells, raw.toString(), error);
        }
        any = true;
        if (raw.length() < RAW_LIMIT) {
          raw.append((char) c);
        }
        if (inQuotes) {
          if (c == '"') {
            if (peek() == '"') {
              read();
              append(cell, start, '"');
            } else {
              inQuotes = false;
            }
          } else if (c == '\r') {
            if (peek() == '\n') {
              read();
            }
            line++;
            append(cell, start, '\n');
          } else {
            if (c == '\n') {
              line++;
            }
            append(cell, start, (char) c);
          }
          continue;
        }
        if (c == ',') {
          cells.add(cell.toString());
          cell.setLength(0);
          quoted = false;
        } else if (c == '\r' || c == '\n') {
          if (c == '\r' && peek() == '\n') {
            read();
          }
          line++;
          cells.add(cell.toString());
          break;
        } else if (c == '"' && cell.length() == 0 && !quoted) {
          inQuotes = true;
          quoted = true;
        } else {
          append(cell, start, (char) c);
        }
      }
      if (cells.size() == 1 && cells.get(0).isEmpty() && !quoted) {
        continue; // blank line
      }
      String rawText = raw.toString();
      if (rawText.endsWith("\r\n")) {
        rawText = rawText.substring(0, rawText.length() - 2);
      } else if (rawText.endsWith("\n") || rawText.endsWith("\r")) {
        rawText = rawText.substring(0, rawText.length() - 1);
      }
      return new Record(start, cells, rawText, error);
    }
  }

  private static void append(StringBuilder cell, int line, char c) throws IOException {
    if (cell.length() >= CELL_LIMIT) {
      throw new CellTooLongException(line);
    }
    cell.append(c);
  }

  /** A single cell longer than {@link #CELL_LIMIT}: the file is rejected. */
  public static final class CellTooLongException extends IOException {
    private static final long serialVersionUID = 1L;

    CellTooLongException(int line) {
      super("从第 " + line + " 行起的记录有一个单元格超过 " + CELL_LIMIT + " 个字符，不是正常导出的 CSV");
    }
  }
}
