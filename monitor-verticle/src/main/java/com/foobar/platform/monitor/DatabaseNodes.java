package com.foobar.platform.monitor;

import com.foobar.platform.common.config.Types;
import com.foobar.platform.common.config.ValueType;
import io.vertx.core.json.JsonObject;
import io.vertx.mysqlclient.MySQLConnectOptions;

import java.util.List;

/**
 * How the monitor declares a database node: Vert.x's {@link MySQLConnectOptions}, its keys and types checked,
 * each given key replacing the default's, so {@code {"port": 3306}} is enough. The same defaults as the app's
 * nodes (the local stack: 13306 for the primary, 13307 for a replica) with the monitoring user. (One declaration
 * of a node's defaults for app and monitor is due in common; this is the monitor's until then.)
 */
final class DatabaseNodes {

  static final int PRIMARY_PORT = 13306;
  static final int REPLICA_PORT = 13307;
  /** Keys {@code MySQLConnectOptions} reads from JSON that its default {@code toJson()} does not write. */
  private static final List<String> EXTRA_KEYS = List.of("collation", "serverRsaPublicKeyPath",
    "serverRsaPublicKeyValue", "preparedStatementCacheSqlLimit", "sslOptions", "tracingPolicy");

  private DatabaseNodes() {
  }

  /** A node on {@code port} of the local host, in the site's database, as the monitoring user. */
  static JsonObject defaults(int port) {
    return new JsonObject().put("host", "127.0.0.1").put("port", port).put("database", "foobar")
      .put("user", "foobar_monitor").put("charset", "utf8mb4");
  }

  /** A node given in a configuration file, merged over {@link #defaults(int)}. */
  static ValueType<JsonObject> type(int defaultPort) {
    return Types.checked(Types.vertxOptions(new MySQLConnectOptions().toJson(), defaults(defaultPort), EXTRA_KEYS),
      "an object of `MySQLConnectOptions` keys", node -> null);
  }
}
