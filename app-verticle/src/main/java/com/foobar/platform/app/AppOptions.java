package com.foobar.platform.app;

import com.foobar.platform.app.cluster.AnnounceOptions;
import com.foobar.platform.app.db.DatabaseSettings;
import com.foobar.platform.app.posts.PostsOptions;
import com.foobar.platform.app.web.StaticFilesOptions;
import com.foobar.platform.common.config.Key;
import com.foobar.platform.common.config.Schema;
import com.foobar.platform.common.config.Settings;
import com.foobar.platform.common.config.Types;
import com.foobar.platform.common.db.DatabaseNodeOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClientOptions;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Configuration of one application server ({@code conf/app-N.json}), every key declared once here (the README's
 * table is made from these declarations). Any key may be overridden by a {@code FOOBAR_APP_*} environment
 * variable. The database nodes, pools and connections are Vert.x's own options, checked key by key.
 */
public final class AppOptions implements DatabaseSettings {

  public static final Schema SCHEMA = new Schema("app options");
  static final Key<String> NAME = SCHEMA.key("name", Types.nonEmptyText(), "app",
    "the server's name, sent in `X-Served-By` on every response");
  static final Key<String> HOST = SCHEMA.key("host", Types.nonEmptyText(), "127.0.0.1",
    "address of the public HTTP server (the balancer's backend)");
  static final Key<Integer> PORT = SCHEMA.port("port", 8081, "port of the public HTTP server; 0 picks a free one");
  static final Key<JsonObject> MANAGEMENT = vertx("management", new HttpServerOptions().toJson(),
    new JsonObject().put("host", "127.0.0.1").put("port", 8181), "port", 0, 65535,
    "`HttpServerOptions` of the management server: `/metrics`, `/health`, `/health/live`, `/health/ready`, "
      + "`/database`, moderation (`/admin/posts`); loopback by default, never the public port");
  static final Key<String> WEB_ROOT = SCHEMA.text("webRoot", "",
    "a directory with the site's files (deployed without a rebuild); empty serves the site built into the jar");
  static final Key<Settings> STATIC_FILES = SCHEMA.group("staticFiles", StaticFilesOptions.SCHEMA,
    "how static files are served (the web server's role)");
  static final Key<Integer> MAX_BODY_SIZE = SCHEMA.bytes("maxBodySize", 64 * 1024, 1024, 16 * 1024 * 1024,
    "larger request bodies get 413");
  static final Key<JsonObject> PRIMARY = DatabaseNodeOptions.primary(SCHEMA, "foobar_app",
    "`MySQLConnectOptions` of the primary: the writer at start (writes, transactions, schema); afterwards the "
      + "writer is whichever node is writable");
  static final Key<List<JsonObject>> REPLICAS = DatabaseNodeOptions.replicas(SCHEMA, "foobar_app",
    "`MySQLConnectOptions` of the read nodes; plain reads go round robin over them, to the writer when empty");
  static final Key<String> PASSWORD_FILE = SCHEMA.text("passwordFile", "",
    "a file holding the database password, for nodes whose options carry none (empty: none)");
  static final Key<JsonObject> POOL = vertx("pool", new PoolOptions().toJson(),
    new JsonObject().put("maxSize", 8).put("connectionTimeout", 3).put("maxWaitQueueSize", 256), "maxSize", 1, 1000,
    "`PoolOptions` of each node's own pool (named `primary`, `replica-1`, ...: their metrics label); "
      + "`connectionTimeout` is Vert.x's wait for a pooled connection, in seconds (`connectionTimeoutUnit`): "
      + "short, so a dead node fails fast instead of in 30 s");
  static final Key<JsonObject> DATABASE_CLIENT = vertx("databaseClient", new NetClientOptions().toJson(),
    new JsonObject().put("connectTimeout", 2000).put("tcpKeepAlive", true), "connectTimeout", 1, 600_000,
    "`NetClientOptions` of the database connections; `connectTimeout` (Vert.x's key) is in ms and bounds how "
      + "long a dead host can stall a request");
  static final Key<Boolean> MIGRATE = SCHEMA.flag("migrate", true,
    "create or migrate the schema on the writer at start (serialised by a named lock, each migration recorded once)");
  static final Key<Integer> RETRY_AFTER = SCHEMA.seconds("retryAfterSeconds", 2, 1, 3600,
    "`Retry-After` of a 503 when the database cannot serve");
  static final Key<Integer> MAX_REPLICATION_LAG = SCHEMA.seconds("maxReplicationLagSeconds", 3, 0, 86_400,
    "a replica further behind (`Seconds_Behind_Master`) serves no plain reads", "maxReplicationLag");
  static final Key<Integer> NODE_CHECK_INTERVAL = SCHEMA.millis("nodeCheckIntervalMs", 1000, 50, 3_600_000,
    "between checks of every node's role and replication (`@@read_only`, `SHOW SLAVE STATUS`)", "nodeCheckInterval");
  static final Key<Integer> CONSISTENCY_WAIT = SCHEMA.millis("consistencyWaitMs", 500, 0, 60_000,
    "how long a read carrying a consistency token waits for a replica to apply the client's write before it runs "
      + "on the writer", "consistencyWait");
  static final Key<Integer> WRITER_WAIT = SCHEMA.millis("writerWaitMs", 3000, 0, 60_000,
    "how long a write the writer refused as read-only (a switchover under way) waits for a writable writer before "
      + "it is answered 503");
  static final Key<Integer> SHUTDOWN_TIMEOUT = SCHEMA.millis("shutdownTimeoutMs", 10_000, 0, 3_600_000,
    "what a stopping server (SIGTERM) gives its in-flight requests once it stopped accepting; its database pools "
      + "close only after that");
  static final Key<Integer> WARM_UP = SCHEMA.millis("warmUpMs", 20_000, 0, 600_000,
    "the longest a starting server runs its hot paths (reads of posts) against itself before it reports ready "
      + "(`/healthz`, `/health/ready`), so its first visitors meet compiled code; it ends sooner once the JIT has "
      + "gone quiet under that load; 0: none");
  static final Key<Settings> POSTS = SCHEMA.group("posts", PostsOptions.SCHEMA,
    "the posts API's idempotency keys and its listing cache");
  static final Key<Settings> CLUSTER = SCHEMA.group("cluster", AnnounceOptions.SCHEMA,
    "under `-cluster`: how this server announces itself and learns database nodes (ignored without a cluster)");

  private static final Logger LOG = LoggerFactory.getLogger(AppOptions.class);

  private final Settings settings;

  /** Vert.x's own options class at {@code name}, with the one value it must not leave unchecked. */
  private static Key<JsonObject> vertx(String name, JsonObject reference, JsonObject defaults, String checked,
                                       int min, int max, String doc) {
    return SCHEMA.key(name, Types.fieldWithin(Types.vertxOptions(reference, defaults, List.of()), checked, min, max),
      defaults, doc);
  }

  /** The defaults. */
  public AppOptions() {
    this(SCHEMA.defaults());
  }

  /** Options of a JSON object (a conf file's content), strictly: every problem found fails it. */
  public AppOptions(JsonObject json) {
    this(SCHEMA.bind(json, LOG::warn));
  }

  public AppOptions(Settings settings) {
    this.settings = settings;
  }

  /** Every key with its value: reads back to equal options. */
  public JsonObject toJson() {
    return settings.toJson();
  }

  public String name() {
    return settings.get(NAME);
  }

  public String host() {
    return settings.get(HOST);
  }

  public int port() {
    return settings.get(PORT);
  }

  public HttpServerOptions management() {
    return new HttpServerOptions(settings.get(MANAGEMENT));
  }

  /** The operator's document root, or null for the built-in site. */
  public String webRoot() {
    String root = settings.get(WEB_ROOT);
    return root.isBlank() ? null : root;
  }

  public StaticFilesOptions staticFiles() {
    return new StaticFilesOptions(settings.get(STATIC_FILES));
  }

  public int maxBodySize() {
    return settings.get(MAX_BODY_SIZE);
  }

  @Override
  public MySQLConnectOptions primary() {
    return DatabaseNodeOptions.connect(settings.get(PRIMARY));
  }

  @Override
  public List<MySQLConnectOptions> replicas() {
    return settings.get(REPLICAS).stream().map(DatabaseNodeOptions::connect).toList();
  }

  /** The password file, or null when none is configured. */
  public String passwordFile() {
    String file = settings.get(PASSWORD_FILE);
    return file.isBlank() ? null : file;
  }

  @Override
  public PoolOptions pool() {
    return new PoolOptions(settings.get(POOL));
  }

  @Override
  public NetClientOptions databaseClient() {
    return new NetClientOptions(settings.get(DATABASE_CLIENT));
  }

  public boolean migrate() {
    return settings.get(MIGRATE);
  }

  public int retryAfterSeconds() {
    return settings.get(RETRY_AFTER);
  }

  @Override
  public int maxReplicationLagSeconds() {
    return settings.get(MAX_REPLICATION_LAG);
  }

  public int nodeCheckIntervalMs() {
    return settings.get(NODE_CHECK_INTERVAL);
  }

  @Override
  public int consistencyWaitMs() {
    return settings.get(CONSISTENCY_WAIT);
  }

  @Override
  public int writerWaitMs() {
    return settings.get(WRITER_WAIT);
  }

  public int shutdownTimeoutMs() {
    return settings.get(SHUTDOWN_TIMEOUT);
  }

  public int warmUpMs() {
    return settings.get(WARM_UP);
  }

  public PostsOptions posts() {
    return new PostsOptions(settings.get(POSTS));
  }

  public AnnounceOptions cluster() {
    return new AnnounceOptions(settings.get(CLUSTER));
  }
}
