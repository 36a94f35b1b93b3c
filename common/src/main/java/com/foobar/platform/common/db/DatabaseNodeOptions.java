package com.foobar.platform.common.db;

import com.foobar.platform.common.config.Key;
import com.foobar.platform.common.config.Schema;
import com.foobar.platform.common.config.Types;
import com.foobar.platform.common.config.ValueType;
import io.vertx.core.json.JsonObject;
import io.vertx.mysqlclient.MySQLConnectOptions;

import java.util.List;

/**
 * The database nodes of a tier's configuration ({@code primary} and {@code replicas}), declared once for every tier
 * that talks to MariaDB (the app servers and the monitor). A node is Vert.x's own {@link MySQLConnectOptions}: its
 * keys and their types are checked, and a node given in part takes the rest from the default node of its place:
 * {@code 127.0.0.1}, database {@code foobar}, charset {@code utf8mb4}, the tier's own account, and port
 * {@value #PRIMARY_PORT} for the primary, {@value #REPLICA_PORT} for a replica (the launcher's pair,
 * {@code scripts/mariadb-pair}).
 */
public final class DatabaseNodeOptions {

  public static final String HOST = "127.0.0.1";
  public static final int PRIMARY_PORT = 13306;
  public static final int REPLICA_PORT = 13307;
  public static final String DATABASE = "foobar";
  public static final String CHARSET = "utf8mb4";
  public static final int PIPELINING_LIMIT = 16;
  /** Keys {@code MySQLConnectOptions} reads from JSON that its default {@code toJson()} does not write. */
  private static final List<String> EXTRA_KEYS = List.of("collation", "serverRsaPublicKeyPath",
    "serverRsaPublicKeyValue", "preparedStatementCacheSqlLimit", "sslOptions", "tracingPolicy");

  private DatabaseNodeOptions() {
  }

  /** Declares {@code primary}: the node the tier starts from as the writer. */
  public static Key<JsonObject> primary(Schema schema, String user, String doc) {
    JsonObject defaults = defaults(user, PRIMARY_PORT);
    return schema.key("primary", node(defaults), defaults, doc);
  }

  /** Declares {@code replicas}: a list of nodes, by default the launcher's one replica. */
  public static Key<List<JsonObject>> replicas(Schema schema, String user, String doc) {
    JsonObject defaults = defaults(user, REPLICA_PORT);
    return schema.key("replicas", Types.listOf(node(defaults)), List.of(defaults), doc);
  }

  /** The Vert.x options of a node as bound ({@link #primary}, {@link #replicas}). */
  public static MySQLConnectOptions connect(JsonObject node) {
    return new MySQLConnectOptions(node);
  }

  /**
   * A node's address as every tier writes it, {@code host:port}: the monitor announces nodes by it and the app
   * servers match what they learned against it, so both must write it the same way.
   */
  public static String address(String host, int port) {
    return host + ":" + port;
  }

  public static String address(MySQLConnectOptions connect) {
    return address(connect.getHost(), connect.getPort());
  }

  /**
   * The one default node: everything but the port and the tier's account is the same for every tier. Statements
   * are prepared once per connection and cached (Vert.x prepares, executes and closes each one otherwise: three
   * round trips instead of one), and a connection may have {@value #PIPELINING_LIMIT} commands in flight, so a
   * write and the read of its GTID travel together.
   */
  public static JsonObject defaults(String user, int port) {
    return new JsonObject().put("host", HOST).put("port", port).put("database", DATABASE).put("user", user)
      .put("charset", CHARSET).put("cachePreparedStatements", true).put("pipeliningLimit", PIPELINING_LIMIT);
  }

  private static ValueType<JsonObject> node(JsonObject defaults) {
    return Types.fieldWithin(Types.vertxOptions(new MySQLConnectOptions().toJson(), defaults, EXTRA_KEYS), "port", 1,
      65535);
  }
}
