package com.foobar.platform.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Temporary directories of tests that outlive one method (a tier's state, a database's data): made under the
 * system's temporary directory, deleted by the test that made them ({@link #delete}), and whatever a test left
 * (a failed start, an aborted run) deleted when the JVM exits, so no run leaves {@code /tmp/foobar-*} behind.
 */
public final class TempDirs {

  private static final Set<Path> LEFT = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> LEFT.forEach(TempDirs::deleteTree), "temp-dirs"));
  }

  private TempDirs() {
  }

  /** A new directory named {@code prefix...}, deleted at the latest when the JVM exits. */
  public static Path create(String prefix) {
    try {
      Path dir = Files.createTempDirectory(prefix);
      LEFT.add(dir);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Deletes {@code dir} and everything under it; a file that cannot be deleted is left, quietly. */
  public static void delete(Path dir) {
    if (dir != null) {
      deleteTree(dir);
      LEFT.remove(dir);
    }
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> tree = Files.walk(dir)) {
      tree.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // a file vanished while walking (a process still writing): what remains goes at exit
    }
  }
}
