package baoxue.ingest;

import baoxue.ingest.CellRules.CellError;
import baoxue.privacy.Pseudonym;
import baoxue.schema.ColumnSpec;
import baoxue.schema.ExtractSpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * Reads one delivered file of one kind and validates it against the contract, streaming: one
 * record per data row (typed values, or the reason it cannot be read) and, last, one {@code file}
 * record with the encoding, warnings and — if the whole file is rejected — the reason. Pure Java,
 * so each rule is testable without Spark; Spark runs it per file in parallel.
 */
public final class ExtractFileParser implements Serializable {
  private static final long serialVersionUID = 1L;

  private final ExtractSpec spec;
  private final LocalDate delivery;
  private final Set<String> knownSchools;
  private final Pseudonym pseudonym;
  private final int width;
  private final int firstColumn;

  public ExtractFileParser(
      ExtractSpec spec, LocalDate delivery, Set<String> knownSchools, Pseudonym pseudonym) {
    this.spec = spec;
    this.delivery = delivery;
    this.knownSchools = knownSchools;
    this.pseudonym = pseudonym;
    this.width = ParsedLayout.fields(spec).size();
    this.firstColumn = 8;
  }

  /** Parses a file; {@code label} is what users see, e.g. {@code 2025-09-10/attendance_1.csv}. */
  public Iterator<Object[]> parse(String label, EncodingDetector.Source source) {
    EncodingDetector.Detected enc;
    try {
      enc = EncodingDetector.detect(source);
    } catch (IOException e) {
      return List.<Object[]>of(fileRecord(label, "unknown", "无法读取文件：" + e.getMessage(), List.of()))
          .iterator();
    }
    if (!enc.ok()) {
      return List.<Object[]>of(fileRecord(label, enc.label(), enc.problem(), List.of())).iterator();
    }
    return new RowIterator(label, source, enc);
  }

  private Object[] fileRecord(String label, String encoding, String error, List<String> warnings) {
    Object[] r = new Object[width];
    r[0] = "file";
    r[1] = label;
    r[2] = error == null ? 1 : 0;
    r[3] = error == null ? null : "文件被拒：" + error;
    r[4] = warnings.toArray(new String[0]);
    r[5] = encoding;
    return r;
  }

  private final class RowIterator implements Iterator<Object[]> {
    private final String label;
    private final EncodingDetector.Detected enc;
    private final List<String> warnings = new ArrayList<>();
    private CsvRecordReader reader;
    private InputStream stream;
    private int[] columnAt; // spec column index -> header position, -1 if absent
    private int headerWidth;
    private Object[] next;
    private boolean fileDone;
    private int blankRows;

    RowIterator(String label, EncodingDetector.Source source, EncodingDetector.Detected enc) {
      this.label = label;
      this.enc = enc;
      try {
        stream = source.open();
        if (enc.bom()) {
          stream.readNBytes(3);
        }
        reader =
            new CsvRecordReader(new BufferedReader(new InputStreamReader(stream, enc.charset()), 1 << 16));
        String headerError = readHeader();
        if (headerError != null) {
          finish(headerError);
        }
      } catch (IOException e) {
        finish("无法读取文件：" + e.getMessage());
      }
    }

    private String readHeader() throws IOException {
      CsvRecordReader.Record h = reader.next();
      if (h == null) {
        return "空文件（没有表头）";
      }
      if (h.error() != null) {
        return "表头" + h.error();
      }
      Map<String, Integer> pos = new HashMap<>();
      headerWidth = h.cells().size();
      for (int i = 0; i < headerWidth; i++) {
        String name = CellRules.clean(h.cells().get(i));
        if (name == null) {
          warnings.add("第 " + (i + 1) + " 列表头为空，该列已忽略");
          continue;
        }
        if (pos.put(name, i) != null) {
          return "表头重复：列「" + name + "」出现了两次";
        }
      }
      columnAt = new int[spec.columns.size()];
      List<String> missing = new ArrayList<>();
      for (int c = 0; c < spec.columns.size(); c++) {
        ColumnSpec col = spec.columns.get(c);
        Integer p = pos.remove(col.header);
        columnAt[c] = p == null ? -1 : p;
        if (p == null && col.required) {
          missing.add("「" + col.header + "」");
        }
      }
      if (!missing.isEmpty()) {
        return "缺少必填列" + String.join("、", missing);
      }
      for (String unknown : pos.keySet().stream().sorted().toList()) {
        warnings.add("未知列「" + unknown + "」已忽略");
      }
      return null;
    }

    private void finish(String error) {
      if (blankRows > 0) {
        warnings.add(blankRows + " 行所有单元格为空，已跳过");
      }
      next = fileRecord(label, enc.label(), error, warnings);
      fileDone = true;
      close();
    }

    private void close() {
      try {
        if (stream != null) {
          stream.close();
          stream = null;
        }
      } catch (IOException ignored) {
        // read-only stream
      }
    }

    @Override
    public boolean hasNext() {
      if (next != null) {
        return true;
      }
      if (fileDone) {
        return false;
      }
      try {
        while (true) {
          CsvRecordReader.Record rec = reader.next();
          if (rec == null) {
            finish(null);
            return true;
          }
          if (rec.cells().stream().allMatch(c -> CellRules.clean(c) == null) && rec.error() == null) {
            blankRows++;
            continue;
          }
          next = row(rec);
          return true;
        }
      } catch (CsvRecordReader.CellTooLongException e) {
        finish(e.getMessage());
        return true;
      } catch (IOException e) {
        finish("读取中断：" + e.getMessage());
        return true;
      } catch (UncheckedIOException e) {
        finish("读取中断：" + e.getCause().getMessage());
        return true;
      }
    }

    @Override
    public Object[] next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Object[] r = next;
      next = null;
      return r;
    }

    private Object[] row(CsvRecordReader.Record rec) {
      Object[] r = new Object[width];
      r[0] = "row";
      r[1] = label;
      r[2] = rec.line();
      r[4] = new String[0];
      r[5] = enc.label();
      r[6] = rec.raw();
      if (rec.error() != null) {
        r[3] = rec.error();
        return r;
      }
      if (rec.cells().size() != headerWidth) {
        r[3] = "列数不符：表头 " + headerWidth + " 列，本行 " + rec.cells().size() + " 列";
        return r;
      }
      List<String> errors = new ArrayList<>();
      int extra = firstColumn + spec.columns.size();
      for (int c = 0; c < spec.columns.size(); c++) {
        ColumnSpec col = spec.columns.get(c);
        String v = columnAt[c] < 0 ? null : CellRules.clean(rec.cells().get(columnAt[c]));
        if (v == null) {
          if (col.required) {
            errors.add("缺少必填项「" + col.header + "」");
          }
          if (col.type.equals("student_no_list")) {
            r[extra++] = new String[0];
          }
          continue;
        }
        try {
          Object value = CellRules.parse(col, v, delivery, knownSchools);
          if (col.type.equals("code")) {
            value = CellRules.pseudonymiseEmbedded((String) value, pseudonym);
          }
          r[firstColumn + c] = value;
          if (col.type.equals("student_no")) {
            r[7] = pseudonym.studentKey((String) value);
          } else if (col.type.equals("student_no_list")) {
            r[extra++] = CellRules.keysOf((String) value, pseudonym).toArray(new String[0]);
          }
        } catch (CellError e) {
          errors.add(e.getMessage());
          if (col.type.equals("student_no_list")) {
            r[extra++] = new String[0];
          }
        }
      }
      if (!errors.isEmpty()) {
        r[3] = String.join("；", errors);
      }
      return r;
    }
  }
}
