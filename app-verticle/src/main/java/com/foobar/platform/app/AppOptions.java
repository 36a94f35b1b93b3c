package com.foobar.platform.app;

import com.foobar.platform.app.web.StaticFilesOptions;
import com.foobar.platform.common.Options;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.sqlclient.PoolOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Configuration of one application server ({@code conf/app-N.json}); every key maps onto a field here and
 * may be overridden by a {@code FOOBAR_APP_*} environment variable. The database nodes reuse Vert.x's
 * {@link MySQLConnectOptions} and {@link PoolOptions} as they are.
 */
public class AppOptions {

  public static final String DEFAULT_NAME = "app";
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8081;
  public static final String DEFAULT_MANAGEMENT_HOST = "127.0.0.1";
  public static final int DEFAULT_MANAGEMENT_PORT = 8181;
  public static final int DEFAULT_MAX_BODY_SIZE = 64 * 1024;
  public static final String DEFAULT_DATABASE = "foobar";
  public static final String DEFAULT_USER = "foobar_app";
  public static final int DEFAULT_DB_CONNECT_TIMEOUT_MS = 2000;
  public static final int DEFAULT_POOL_SIZE = 8;
  /** Seconds a query waits for a pooled connection: short, so a dead node fails fast instead of in 30 s. */
  public static final int DEFAULT_POOL_WAIT_SECONDS = 3;
  public static final int DEFAULT_RETRY_AFTER_SECONDS = 2;
  /** A replica further behind than this (seconds) serves no reads. */
  public static final int DEFAULT_MAX_REPLICATION_LAG_SECONDS = 3;
  /** How often each node's role and replication state is checked (ms). */
  public static final int DEFAULT_NODE_CHECK_INTERVAL_MS = 1000;
  /** How long a read with a consistency token waits for a replica to catch up before using the writer (ms). */
  public static final int DEFAULT_CONSISTENCY_WAIT_MS = 500;
  /** How long a stopping server lets in-flight requests finish before it closes what is left. */
  public static final int DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;

  private static final Set<String> KEYS = Set.of("name", "host", "port", "management", "webRoot", "maxBodySize",
    "primary", "replicas", "passwordFile", "pool", "databaseClient", "migrate", "retryAfterSeconds",
    "maxReplicationLag", "nodeCheckInterval", "consistencyWait", "staticFiles", "cluster", "shutdownTimeoutMs",
    "posts");

  private String name = DEFAULT_NAME;
  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;
  private HttpServerOptions management = defaultManagement();
  private String webRoot;
  private int maxBodySize = DEFAULT_MAX_BODY_SIZE;
  private MySQLConnectOptions primary = defaultNode(13306);
  private List<MySQLConnectOptions> replicas = new ArrayList<>(List.of(defaultNode(13307)));
  private String passwordFile;
  private PoolOptions pool = defaultPool();
  private NetClientOptions databaseClient = defaultDatabaseClient();
  private boolean migrate = true;
  private int retryAfterSeconds = DEFAULT_RETRY_AFTER_SECONDS;
  private int maxReplicationLag = DEFAULT_MAX_REPLICATION_LAG_SECONDS;
  private int nodeCheckInterval = DEFAULT_NODE_CHECK_INTERVAL_MS;
  private int consistencyWait = DEFAULT_CONSISTENCY_WAIT_MS;
  private StaticFilesOptions staticFiles = new StaticFilesOptions();
  private AnnounceOptions cluster = new AnnounceOptions();
  private int shutdownTimeoutMs = DEFAULT_SHUTDOWN_TIMEOUT_MS;
  private PostsOptions posts = new PostsOptions();

  public AppOptions() {
  }

  public AppOptions(JsonObject json) {
    Options.requireKnownKeys(json, KEYS, "app options");
    setName(json.getString("name", name));
    setHost(json.getString("host", host));
    setPort(json.getInteger("port", port));
    if (json.containsKey("management")) {
      setManagement(new HttpServerOptions(defaultManagement().toJson().mergeIn(json.getJsonObject("management"))));
    }
    setWebRoot(json.getString("webRoot", webRoot));
    setMaxBodySize(json.getInteger("maxBodySize", maxBodySize));
    if (json.containsKey("primary")) {
      setPrimary(node(json.getJsonObject("primary")));
    }
    if (json.containsKey("replicas")) {
      List<MySQLConnectOptions> list = new ArrayList<>();
      json.getJsonArray("replicas").forEach(item -> list.add(node((JsonObject) item)));
      setReplicas(list);
    }
    setPasswordFile(json.getString("passwordFile", passwordFile));
    if (json.containsKey("pool")) {
      setPool(new PoolOptions(defaultPool().toJson().mergeIn(json.getJsonObject("pool"))));
    }
    if (json.containsKey("databaseClient")) {
      setDatabaseClient(new NetClientOptions(defaultDatabaseClient().toJson().mergeIn(json.getJsonObject("databaseClient"))));
    }
    setMigrate(json.getBoolean("migrate", migrate));
    setRetryAfterSeconds(json.getInteger("retryAfterSeconds", retryAfterSeconds));
    setMaxReplicationLag(json.getInteger("maxReplicationLag", maxReplicationLag));
    setNodeCheckInterval(json.getInteger("nodeCheckInterval", nodeCheckInterval));
    setConsistencyWait(json.getInteger("consistencyWait", consistencyWait));
    if (json.containsKey("staticFiles")) {
      setStaticFiles(new StaticFilesOptions(json.getJsonObject("staticFiles")));
    }
    if (json.containsKey("cluster")) {
      setCluster(new AnnounceOptions(json.getJsonObject("cluster")));
    }
    setShutdownTimeoutMs(json.getInteger("shutdownTimeoutMs", shutdownTimeoutMs));
    if (json.containsKey("posts")) {
      setPosts(new PostsOptions(json.getJsonObject("posts")));
    }
  }

  public JsonObject toJson() {
    JsonArray replicaJson = new JsonArray();
    replicas.forEach(replica -> replicaJson.add(replica.toJson()));
    JsonObject json = new JsonObject()
      .put("name", name).put("host", host).put("port", port)
      .put("management", new JsonObject().put("host", management.getHost()).put("port", management.getPort()))
      .put("maxBodySize", maxBodySize)
      .put("primary", primary.toJson())
      .put("replicas", replicaJson)
      .put("pool", pool.toJson())
      .put("databaseClient", new JsonObject().put("connectTimeout", databaseClient.getConnectTimeout())
        .put("tcpKeepAlive", databaseClient.isTcpKeepAlive()))
      .put("migrate", migrate).put("shutdownTimeoutMs", shutdownTimeoutMs)
      .put("retryAfterSeconds", retryAfterSeconds)
      .put("maxReplicationLag", maxReplicationLag)
      .put("nodeCheckInterval", nodeCheckInterval)
      .put("consistencyWait", consistencyWait)
      .put("staticFiles", staticFiles.toJson())
      .put("cluster", cluster.toJson())
      .put("posts", posts.toJson());
    if (webRoot != null) {
      json.put("webRoot", webRoot);
    }
    if (passwordFile != null) {
      json.put("passwordFile", passwordFile);
    }
    return json;
  }

  private static HttpServerOptions defaultManagement() {
    return new HttpServerOptions().setHost(DEFAULT_MANAGEMENT_HOST).setPort(DEFAULT_MANAGEMENT_PORT);
  }

  private static MySQLConnectOptions defaultNode(int port) {
    return new MySQLConnectOptions().setHost("127.0.0.1").setPort(port)
      .setDatabase(DEFAULT_DATABASE).setUser(DEFAULT_USER).setCharset("utf8mb4");
  }

  private static MySQLConnectOptions node(JsonObject json) {
    MySQLConnectOptions defaults = defaultNode(3306);
    return new MySQLConnectOptions(defaults.toJson().mergeIn(json));
  }

  private static NetClientOptions defaultDatabaseClient() {
    return new NetClientOptions().setConnectTimeout(DEFAULT_DB_CONNECT_TIMEOUT_MS).setTcpKeepAlive(true);
  }

  private static PoolOptions defaultPool() {
    return new PoolOptions().setMaxSize(DEFAULT_POOL_SIZE).setConnectionTimeout(DEFAULT_POOL_WAIT_SECONDS)
      .setMaxWaitQueueSize(256);
  }

  public AnnounceOptions getCluster() {
    return cluster;
  }

  /** How the server announces itself under {@code -cluster} (ignored without a cluster). */
  public AppOptions setCluster(AnnounceOptions cluster) {
    this.cluster = java.util.Objects.requireNonNull(cluster, "cluster");
    return this;
  }

  public PostsOptions getPosts() {
    return posts;
  }

  /** Idempotency keys of the posts API: how long they are kept, how often expired ones are purged. */
  public AppOptions setPosts(PostsOptions posts) {
    this.posts = Objects.requireNonNull(posts, "posts");
    return this;
  }

  public String getName() {
    return name;
  }

  public AppOptions setName(String name) {
    this.name = Options.requireText("name", name);
    return this;
  }

  public String getHost() {
    return host;
  }

  public AppOptions setHost(String host) {
    this.host = Options.requireText("host", host);
    return this;
  }

  public int getPort() {
    return port;
  }

  /** The public HTTP port; 0 picks a free one. */
  public AppOptions setPort(int port) {
    this.port = Options.requireRange("port", port, 0, 65535);
    return this;
  }

  public HttpServerOptions getManagement() {
    return management;
  }

  /** Where {@code /metrics} and {@code /health} listen: loopback by default, never the public port. */
  public AppOptions setManagement(HttpServerOptions management) {
    Options.requireRange("management.port", management.getPort(), 0, 65535);
    this.management = management;
    return this;
  }

  public String getWebRoot() {
    return webRoot;
  }

  /** A directory with the site's files; when unset, the site built into the jar is served. */
  public AppOptions setWebRoot(String webRoot) {
    this.webRoot = webRoot == null || webRoot.isBlank() ? null : webRoot;
    return this;
  }

  public int getMaxBodySize() {
    return maxBodySize;
  }

  public AppOptions setMaxBodySize(int maxBodySize) {
    this.maxBodySize = Options.requireRange("maxBodySize", maxBodySize, 1024, 16 * 1024 * 1024);
    return this;
  }

  public MySQLConnectOptions getPrimary() {
    return primary;
  }

  public AppOptions setPrimary(MySQLConnectOptions primary) {
    this.primary = primary;
    return this;
  }

  public List<MySQLConnectOptions> getReplicas() {
    return replicas;
  }

  /** The read nodes; an empty list sends reads to the primary. */
  public AppOptions setReplicas(List<MySQLConnectOptions> replicas) {
    this.replicas = new ArrayList<>(replicas);
    return this;
  }

  public String getPasswordFile() {
    return passwordFile;
  }

  /** A file holding the database password, used for nodes whose options carry none. */
  public AppOptions setPasswordFile(String passwordFile) {
    this.passwordFile = passwordFile;
    return this;
  }

  public PoolOptions getPool() {
    return pool;
  }

  /** Pool settings applied to each node's own pool (each pool is then named after its node). */
  public AppOptions setPool(PoolOptions pool) {
    Options.requireRange("pool.maxSize", pool.getMaxSize(), 1, 1000);
    this.pool = pool;
    return this;
  }

  public NetClientOptions getDatabaseClient() {
    return databaseClient;
  }

  /** TCP settings of the database connections; the connect timeout bounds how long a dead host can stall. */
  public AppOptions setDatabaseClient(NetClientOptions databaseClient) {
    Options.requireRange("databaseClient.connectTimeout", databaseClient.getConnectTimeout(), 1, 600_000);
    this.databaseClient = databaseClient;
    return this;
  }

  public boolean isMigrate() {
    return migrate;
  }

  /** Whether this server creates or migrates the schema on the primary at start. */
  public AppOptions setMigrate(boolean migrate) {
    this.migrate = migrate;
    return this;
  }

  public int getRetryAfterSeconds() {
    return retryAfterSeconds;
  }

  /** The Retry-After of a 503 when the database cannot serve. */
  public AppOptions setRetryAfterSeconds(int retryAfterSeconds) {
    this.retryAfterSeconds = Options.requireRange("retryAfterSeconds", retryAfterSeconds, 1, 3600);
    return this;
  }

  public int getMaxReplicationLag() {
    return maxReplicationLag;
  }

  /** Seconds of replication lag beyond which a replica serves no reads. */
  public AppOptions setMaxReplicationLag(int maxReplicationLag) {
    this.maxReplicationLag = Options.requireRange("maxReplicationLag", maxReplicationLag, 0, 86_400);
    return this;
  }

  public int getNodeCheckInterval() {
    return nodeCheckInterval;
  }

  /** Milliseconds between checks of every node's role ({@code read_only}) and replication state. */
  public AppOptions setNodeCheckInterval(int nodeCheckInterval) {
    this.nodeCheckInterval = Options.requireRange("nodeCheckInterval", nodeCheckInterval, 50, 3_600_000);
    return this;
  }

  public int getConsistencyWait() {
    return consistencyWait;
  }

  /** Milliseconds a read-your-writes read waits for a replica to apply the client's write. */
  public AppOptions setConsistencyWait(int consistencyWait) {
    this.consistencyWait = Options.requireRange("consistencyWait", consistencyWait, 0, 60_000);
    return this;
  }

  public StaticFilesOptions getStaticFiles() {
    return staticFiles;
  }

  /** How static files are served: Cache-Control rules, gzip, metadata caching. */
  public AppOptions setStaticFiles(StaticFilesOptions staticFiles) {
    this.staticFiles = Objects.requireNonNull(staticFiles, "staticFiles");
    return this;
  }

  public int getShutdownTimeoutMs() {
    return shutdownTimeoutMs;
  }

  /** Ms a stopping server gives in-flight requests once it stopped accepting; then it closes the rest. */
  public AppOptions setShutdownTimeoutMs(int shutdownTimeoutMs) {
    this.shutdownTimeoutMs = Options.requireRange("shutdownTimeoutMs", shutdownTimeoutMs, 0, 3_600_000);
    return this;
  }
}
