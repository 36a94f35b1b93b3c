package com.foobar.platform.monitor;

import com.foobar.platform.common.Options;
import com.foobar.platform.monitor.failover.FailoverOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mysqlclient.MySQLConnectOptions;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Configuration of the monitor ({@code conf/monitor.json}); every key maps onto a field here and may be overridden
 * by a {@code FOOBAR_MONITOR_*} environment variable. The defaults are the local topology, so an empty file works:
 * balancer management on 8180, app servers on 8181 and 8182, MariaDB primary 13306 and replica 13307. Database
 * nodes reuse Vert.x's {@link MySQLConnectOptions} as they are.
 */
public class MonitorOptions {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 9100;
  public static final int DEFAULT_INTERVAL_MS = 2000;
  public static final int DEFAULT_TIMEOUT_MS = 1500;
  public static final int DEFAULT_HISTORY_SIZE = 300;
  public static final String DEFAULT_BALANCER_NAME = "lb";
  public static final String DEFAULT_BALANCER_URL = "http://127.0.0.1:8180/health/ready";
  public static final List<HttpTarget> DEFAULT_SERVERS = List.of(
    new HttpTarget("app-1", "http://127.0.0.1:8181/health/ready"),
    new HttpTarget("app-2", "http://127.0.0.1:8182/health/ready"));
  public static final String DEFAULT_DB_HOST = "127.0.0.1";
  public static final int DEFAULT_PRIMARY_PORT = 13306;
  public static final int DEFAULT_REPLICA_PORT = 13307;
  public static final String DEFAULT_DATABASE = "foobar";
  public static final String DEFAULT_USER = "foobar_monitor";
  /** Relative to the working directory: where {@code scripts/mariadb-pair} keeps the secrets of {@code ./foobar}. */
  public static final String DEFAULT_PASSWORD_FILE = "state/secrets/monitor.password";
  public static final int DEFAULT_MAX_REPLICATION_LAG_SECONDS = 5;

  private static final Set<String> KEYS = Set.of("host", "port", "intervalMs", "timeoutMs", "historySize",
    "balancer", "servers", "primary", "replicas", "passwordFile", "maxReplicationLagSeconds", "synthetic", "traffic",
    "alerts", "failover");

  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;
  private int intervalMs = DEFAULT_INTERVAL_MS;
  private int timeoutMs = DEFAULT_TIMEOUT_MS;
  private int historySize = DEFAULT_HISTORY_SIZE;
  private HttpTarget balancer = new HttpTarget(DEFAULT_BALANCER_NAME, DEFAULT_BALANCER_URL);
  private List<HttpTarget> servers = new ArrayList<>(DEFAULT_SERVERS);
  private MySQLConnectOptions primary = defaultNode(DEFAULT_PRIMARY_PORT);
  private List<MySQLConnectOptions> replicas = new ArrayList<>(List.of(defaultNode(DEFAULT_REPLICA_PORT)));
  private String passwordFile = DEFAULT_PASSWORD_FILE;
  private int maxReplicationLagSeconds = DEFAULT_MAX_REPLICATION_LAG_SECONDS;
  private SyntheticOptions synthetic = new SyntheticOptions();
  private TrafficOptions traffic = new TrafficOptions();
  private AlertOptions alerts = new AlertOptions();
  private FailoverOptions failover = new FailoverOptions();

  public MonitorOptions() {
  }

  public MonitorOptions(JsonObject json) {
    Options.requireKnownKeys(json, KEYS, "monitor options");
    setHost(json.getString("host", host));
    setPort(json.getInteger("port", port));
    setIntervalMs(json.getInteger("intervalMs", intervalMs));
    setTimeoutMs(json.getInteger("timeoutMs", timeoutMs));
    setHistorySize(json.getInteger("historySize", historySize));
    if (json.containsKey("balancer")) {
      setBalancer(new HttpTarget(json.getJsonObject("balancer")));
    }
    if (json.containsKey("servers")) {
      List<HttpTarget> list = new ArrayList<>();
      json.getJsonArray("servers").forEach(item -> list.add(new HttpTarget((JsonObject) item)));
      setServers(list);
    }
    if (json.containsKey("primary")) {
      setPrimary(node(json.getJsonObject("primary"), DEFAULT_PRIMARY_PORT));
    }
    if (json.containsKey("replicas")) {
      List<MySQLConnectOptions> list = new ArrayList<>();
      json.getJsonArray("replicas").forEach(item -> list.add(node((JsonObject) item, DEFAULT_REPLICA_PORT)));
      setReplicas(list);
    }
    setPasswordFile(json.getString("passwordFile", passwordFile));
    setMaxReplicationLagSeconds(json.getInteger("maxReplicationLagSeconds", maxReplicationLagSeconds));
    if (json.containsKey("synthetic")) {
      setSynthetic(new SyntheticOptions(json.getJsonObject("synthetic")));
    }
    if (json.containsKey("traffic")) {
      setTraffic(new TrafficOptions(json.getJsonObject("traffic")));
    }
    if (json.containsKey("failover")) {
      setFailover(new FailoverOptions(json.getJsonObject("failover")));
    }
    if (json.containsKey("alerts")) {
      setAlerts(new AlertOptions(json.getJsonObject("alerts")));
    }
  }

  public JsonObject toJson() {
    JsonArray serverJson = new JsonArray();
    servers.forEach(server -> serverJson.add(server.toJson()));
    JsonArray replicaJson = new JsonArray();
    replicas.forEach(replica -> replicaJson.add(replica.toJson()));
    JsonObject json = new JsonObject()
      .put("host", host).put("port", port)
      .put("intervalMs", intervalMs).put("timeoutMs", timeoutMs).put("historySize", historySize)
      .put("balancer", balancer.toJson())
      .put("servers", serverJson)
      .put("primary", primary.toJson())
      .put("replicas", replicaJson)
      .put("maxReplicationLagSeconds", maxReplicationLagSeconds)
      .put("synthetic", synthetic.toJson())
      .put("traffic", traffic.toJson())
      .put("alerts", alerts.toJson())
      .put("failover", failover.toJson());
    if (passwordFile != null) {
      json.put("passwordFile", passwordFile);
    }
    return json;
  }

  /** The status server's options (host and port; the rest are Vert.x defaults). */
  public HttpServerOptions httpServerOptions() {
    return new HttpServerOptions().setHost(host).setPort(port);
  }

  private static MySQLConnectOptions defaultNode(int port) {
    return new MySQLConnectOptions().setHost(DEFAULT_DB_HOST).setPort(port)
      .setDatabase(DEFAULT_DATABASE).setUser(DEFAULT_USER).setCharset("utf8mb4");
  }

  /** A node given in a config file starts from the defaults, so {@code {"port": 3306}} is enough. */
  private static MySQLConnectOptions node(JsonObject json, int defaultPort) {
    return new MySQLConnectOptions(defaultNode(defaultPort).toJson().mergeIn(json));
  }

  public String getHost() {
    return host;
  }

  public MonitorOptions setHost(String host) {
    this.host = Options.requireText("host", host);
    return this;
  }

  public int getPort() {
    return port;
  }

  /** The status page / API / metrics port; 0 picks a free one. */
  public MonitorOptions setPort(int port) {
    this.port = Options.requireRange("port", port, 0, 65535);
    return this;
  }

  public int getIntervalMs() {
    return intervalMs;
  }

  /** Time from the start of one probe round to the start of the next (never less than a round takes). */
  public MonitorOptions setIntervalMs(int intervalMs) {
    this.intervalMs = Options.requireRange("intervalMs", intervalMs, 50, 3_600_000);
    return this;
  }

  public int getTimeoutMs() {
    return timeoutMs;
  }

  /** The most any one probe may take; past it the component is reported down, so a hung target cannot stall. */
  public MonitorOptions setTimeoutMs(int timeoutMs) {
    this.timeoutMs = Options.requireRange("timeoutMs", timeoutMs, 10, 600_000);
    return this;
  }

  public int getHistorySize() {
    return historySize;
  }

  /** Samples kept in memory per component for the status page (300 at 2 s is ten minutes). */
  public MonitorOptions setHistorySize(int historySize) {
    this.historySize = Options.requireRange("historySize", historySize, 1, 100_000);
    return this;
  }

  public HttpTarget getBalancer() {
    return balancer;
  }

  public MonitorOptions setBalancer(HttpTarget balancer) {
    requireUniqueNames(balancer, servers);
    this.balancer = balancer;
    return this;
  }

  public List<HttpTarget> getServers() {
    return servers;
  }

  /** The application servers' health endpoints; at least one, since the site is down without any. */
  public MonitorOptions setServers(List<HttpTarget> servers) {
    if (servers.isEmpty()) {
      throw new IllegalArgumentException("servers must name at least one application server");
    }
    requireUniqueNames(balancer, servers);
    this.servers = new ArrayList<>(servers);
    return this;
  }

  public MySQLConnectOptions getPrimary() {
    return primary;
  }

  public MonitorOptions setPrimary(MySQLConnectOptions primary) {
    this.primary = primary;
    return this;
  }

  public List<MySQLConnectOptions> getReplicas() {
    return replicas;
  }

  /** The replicas, named {@code replica-1}, {@code replica-2}, ... in this order; may be empty. */
  public MonitorOptions setReplicas(List<MySQLConnectOptions> replicas) {
    this.replicas = new ArrayList<>(replicas);
    return this;
  }

  public String getPasswordFile() {
    return passwordFile;
  }

  /** A file holding the monitoring user's password, used for nodes whose options carry none. */
  public MonitorOptions setPasswordFile(String passwordFile) {
    this.passwordFile = passwordFile == null || passwordFile.isBlank() ? null : passwordFile;
    return this;
  }

  public int getMaxReplicationLagSeconds() {
    return maxReplicationLagSeconds;
  }

  /** Replication is reported down when Seconds_Behind_Master exceeds this (and always when it is NULL). */
  public MonitorOptions setMaxReplicationLagSeconds(int maxReplicationLagSeconds) {
    this.maxReplicationLagSeconds = Options.requireRange("maxReplicationLagSeconds", maxReplicationLagSeconds,
      0, 86_400);
    return this;
  }

  public SyntheticOptions getSynthetic() {
    return synthetic;
  }

  /** The end-to-end probe through the balancer's public URL (write, read back, delete a probe post). */
  public MonitorOptions setSynthetic(SyntheticOptions synthetic) {
    this.synthetic = synthetic;
    return this;
  }

  public TrafficOptions getTraffic() {
    return traffic;
  }

  /** The balancer's metrics, scraped each round for the site's request rate, errors and latency. */
  public MonitorOptions setTraffic(TrafficOptions traffic) {
    this.traffic = traffic;
    return this;
  }

  public AlertOptions getAlerts() {
    return alerts;
  }

  /** The alert rules evaluated after each round and the webhooks they notify. */
  public FailoverOptions getFailover() {
    return failover;
  }

  /** The failover manager: automatic promotion of a replica, fencing, switchover. */
  public MonitorOptions setFailover(FailoverOptions failover) {
    this.failover = failover;
    return this;
  }

  public MonitorOptions setAlerts(AlertOptions alerts) {
    this.alerts = alerts;
    return this;
  }

  /**
   * HTTP component names must be unique and must not take the names the database components get, since the
   * name identifies a component everywhere (API, metrics labels, log lines).
   */
  private static void requireUniqueNames(HttpTarget balancer, List<HttpTarget> servers) {
    Set<String> seen = new HashSet<>();
    List<HttpTarget> all = new ArrayList<>(servers);
    all.add(0, balancer);
    for (HttpTarget target : all) {
      if (!seen.add(target.name())) {
        throw new IllegalArgumentException("component name '" + target.name() + "' is used twice");
      }
      if (target.name().equals(Component.PRIMARY) || target.name().startsWith(Component.REPLICA + "-")
        || target.name().startsWith(Component.REPLICATION + "-") || target.name().equals(SyntheticProbe.NAME)) {
        throw new IllegalArgumentException("component name '" + target.name() + "' is reserved (databases, synthetic probe)");
      }
    }
  }
}
