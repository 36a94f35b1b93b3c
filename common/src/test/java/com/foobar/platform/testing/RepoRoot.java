package com.foobar.platform.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the checkout's root from a module's working directory, for tests that run the project's scripts. */
public final class RepoRoot {

  private RepoRoot() {
  }

  public static Path find() {
    Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    while (dir != null) {
      if (Files.isExecutable(dir.resolve("scripts/mariadb-pair"))) {
        return dir;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException("no scripts/mariadb-pair above " + System.getProperty("user.dir"));
  }
}
