package baoxue.warehouse;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A publish transaction: outputs are written under {@code _txn/<id>/<relative path>}, never in
 * place. {@link #commit()} writes a journal naming every path to replace or delete, then swaps
 * each directory (or file) in by rename. A crash before the journal leaves the published state
 * untouched and the next run discards the leftovers; a crash after it is completed by
 * {@link #recover(Warehouse)}, because applying the journal again is harmless.
 */
public final class Txn {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String JOURNAL = "_COMMIT.json";

  private final Warehouse wh;
  private final String id;
  private final Set<String> replace = new LinkedHashSet<>();
  private final Set<String> delete = new LinkedHashSet<>();

  private Txn(Warehouse wh, String id) {
    this.wh = wh;
    this.id = id;
  }

  public static Txn begin(Warehouse wh, String id) throws IOException {
    Path dir = wh.path("_txn/" + id);
    if (wh.fs().exists(dir)) {
      wh.fs().delete(dir, true);
    }
    wh.fs().mkdirs(dir);
    return new Txn(wh, id);
  }

  public String id() {
    return id;
  }

  /** Where to write the new content of {@code relative}; it replaces the published one on commit. */
  public synchronized String stage(String relative) {
    replace.add(relative);
    delete.remove(relative);
    return wh.path("_txn/" + id + "/" + relative).toString();
  }

  public Path stagePath(String relative) {
    return new Path(stage(relative));
  }

  /** On commit, {@code relative} is removed (if it exists), unless it is also staged. */
  public synchronized void deleteOnCommit(String relative) {
    if (!replace.contains(relative)) {
      delete.add(relative);
    }
  }

  /**
   * Registers, for a table written with partitionBy into {@code stage(table)}, one swap per
   * partition directory that was written and a delete for each expected partition that came out
   * empty.
   */
  public synchronized void stagePartitions(String table, List<String> expected) throws IOException {
    replace.remove(table);
    Path staged = wh.path("_txn/" + id + "/" + table);
    Set<String> written = new LinkedHashSet<>();
    if (wh.fs().exists(staged)) {
      for (var s : wh.fs().listStatus(staged)) {
        String n = s.getPath().getName();
        if (s.isDirectory() && n.contains("=")) {
          written.add(n);
        }
      }
    }
    for (String p : written) {
      replace.add(table + "/" + p);
    }
    for (String p : expected) {
      if (!written.contains(p)) {
        delete.add(table + "/" + p);
      }
    }
  }

  public synchronized void commit() throws IOException {
    Map<String, Object> journal = Map.of("replace", new ArrayList<>(replace), "delete", new ArrayList<>(delete));
    Path tmp = wh.path("_txn/" + id + "/" + JOURNAL + ".tmp");
    wh.writeString(tmp, JSON.writeValueAsString(journal));
    if (!wh.fs().rename(tmp, wh.path("_txn/" + id + "/" + JOURNAL))) {
      throw new IOException("cannot write the journal of transaction " + id);
    }
    Faults.point("commit:" + id + ":journal");
    apply(wh, id);
  }

  /** Discards an uncommitted transaction's files. */
  public void abort() {
    try {
      wh.fs().delete(wh.path("_txn/" + id), true);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Completes committed transactions and discards uncommitted ones; returns what it did. */
  public static List<String> recover(Warehouse wh) throws IOException {
    List<String> done = new ArrayList<>();
    for (String id : wh.list("_txn")) {
      if (wh.exists("_txn/" + id + "/" + JOURNAL)) {
        apply(wh, id);
        done.add("完成了中断的发布 " + id);
      } else {
        wh.fs().delete(wh.path("_txn/" + id), true);
        done.add("丢弃了未完成的写入 " + id);
      }
    }
    return done;
  }

  @SuppressWarnings("unchecked")
  private static void apply(Warehouse wh, String id) throws IOException {
    FileSystem fs = wh.fs();
    String base = "_txn/" + id + "/";
    Map<String, List<String>> j = JSON.readValue(wh.readString(base + JOURNAL), Map.class);
    int n = 0;
    for (String rel : j.get("replace")) {
      Path src = wh.path(base + rel);
      Path dst = wh.path(rel);
      if (!fs.exists(src)) {
        continue; // already swapped in by an earlier, interrupted apply
      }
      fs.mkdirs(dst.getParent());
      if (fs.exists(dst)) {
        Path old = wh.path(base + "_old/" + rel);
        fs.mkdirs(old.getParent());
        if (!fs.rename(dst, old)) {
          throw new IOException("cannot move aside " + dst);
        }
      }
      if (!fs.rename(src, dst)) {
        throw new IOException("cannot publish " + dst);
      }
      Faults.point("commit:" + id + ":apply:" + (n++));
    }
    for (String rel : j.get("delete")) {
      Path dst = wh.path(rel);
      if (fs.exists(dst)) {
        Path old = wh.path(base + "_old/" + rel);
        fs.mkdirs(old.getParent());
        fs.rename(dst, old);
      }
    }
    fs.delete(wh.path("_txn/" + id), true);
  }
}
