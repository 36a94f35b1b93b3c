package com.foobar.platform.common;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.mysqlclient.MySQLConnectOptions;

import java.nio.file.Path;

/**
 * Database passwords for the tiers that talk to MariaDB (app and monitor): read from a secret file, never from
 * code, and applied to the nodes whose options carry none.
 */
public final class DatabaseSecrets {

  private DatabaseSecrets() {
  }

  /**
   * The content of a secret file, trimmed; null when {@code file} is null. The path is made absolute so that
   * Vert.x never falls back to a class-path resource of the same name.
   */
  public static Future<String> read(Vertx vertx, String file, String key) {
    if (file == null || file.isBlank()) {
      return Future.succeededFuture(null);
    }
    String absolute = Path.of(file).toAbsolutePath().toString();
    return vertx.fileSystem().readFile(absolute)
      .map(buffer -> buffer.toString().strip())
      .recover(failure -> Future.failedFuture(new IllegalArgumentException(key + " " + absolute
        + " cannot be read (" + failure.getMessage() + ")")));
  }

  /** MySQLConnectOptions defaults the password to "", not null: both mean "none given". */
  public static boolean hasPassword(MySQLConnectOptions node) {
    return node.getPassword() != null && !node.getPassword().isEmpty();
  }

  /** A copy of {@code node} with {@code password} when it has none of its own. */
  public static MySQLConnectOptions withPassword(MySQLConnectOptions node, String password) {
    MySQLConnectOptions copy = new MySQLConnectOptions(node);
    if (!hasPassword(copy) && password != null) {
      copy.setPassword(password);
    }
    return copy;
  }
}
