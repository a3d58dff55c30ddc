package baoxue.warehouse;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * One run per warehouse at a time: an OS file lock on {@code _state/run.lock}, released by the OS
 * even when the process is killed, so a crash never leaves a stale lock behind.
 */
public final class RunLock implements AutoCloseable {
  private final RandomAccessFile file;
  private final FileLock lock;

  private RunLock(RandomAccessFile file, FileLock lock) {
    this.file = file;
    this.lock = lock;
  }

  public static RunLock acquire(Path warehouse, String what) throws IOException {
    Path p = warehouse.resolve("_state/run.lock");
    Files.createDirectories(p.getParent());
    RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw");
    FileChannel ch = f.getChannel();
    FileLock l;
    try {
      l = ch.tryLock();
    } catch (java.nio.channels.OverlappingFileLockException e) {
      l = null; // held by this same process
    }
    if (l == null) {
      String holder = new String(Files.readAllBytes(p), StandardCharsets.UTF_8).trim();
      f.close();
      throw new AlreadyRunning(
          "另一个运行正在使用这个仓库（" + (holder.isEmpty() ? "未知进程" : holder) + "），本次运行拒绝启动。"
              + "请等它结束后再试；同一仓库同一时间只能有一个运行。");
    }
    f.setLength(0);
    f.write(
        ("pid " + ProcessHandle.current().pid() + "，" + what + "，开始于 " + Instant.now())
            .getBytes(StandardCharsets.UTF_8));
    return new RunLock(f, l);
  }

  @Override
  public void close() throws IOException {
    file.setLength(0);
    lock.release();
    file.close();
  }

  /** Thrown when another run holds the warehouse. */
  public static final class AlreadyRunning extends IOException {
    private static final long serialVersionUID = 1L;

    public AlreadyRunning(String m) {
      super(m);
    }
  }
}
