package com.foobar.platform.monitor;

import com.foobar.platform.common.DatabaseSecrets;
import com.foobar.platform.common.config.ConfigException;
import com.foobar.platform.common.config.Key;
import com.foobar.platform.common.config.Schema;
import com.foobar.platform.common.config.Settings;
import com.foobar.platform.common.config.Types;
import com.foobar.platform.common.config.ValueType;
import com.foobar.platform.common.db.DatabaseNodeOptions;
import com.foobar.platform.monitor.alert.AlertOptions;
import com.foobar.platform.monitor.failover.FailoverOptions;
import com.foobar.platform.monitor.probe.Component;
import com.foobar.platform.monitor.probe.HttpTarget;
import com.foobar.platform.monitor.probe.ProbePlan;
import com.foobar.platform.monitor.probe.SyntheticOptions;
import com.foobar.platform.monitor.traffic.TrafficOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.mysqlclient.MySQLConnectOptions;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Configuration of the monitor ({@code conf/monitor.json}), every key declared once here or in the group it
 * belongs to; a {@code FOOBAR_MONITOR_*} environment variable overrides any of them. The defaults are the local
 * topology, so an empty file works: balancer management on 8180, app servers on 8181 and 8182, MariaDB primary
 * 13306 and replica 13307.
 */
public final class MonitorOptions {

  public static final Schema SCHEMA = new Schema("monitor options");

  private static final ValueType<HttpTarget> BALANCER_TARGET = Types.checked(HttpTarget.TYPE,
    HttpTarget.TYPE.describe(), MonitorOptions::reserved);
  private static final ValueType<List<HttpTarget>> SERVER_TARGETS = Types.checked(Types.listOf(HttpTarget.TYPE),
    "a non-empty list of " + HttpTarget.TYPE.describe(), MonitorOptions::servers);

  static final Key<String> HOST = SCHEMA.key("host", Types.nonEmptyText(), "127.0.0.1",
    "address of the status page `/`, `/api/status`, `/metrics`, `/health*` and `/admin/*`");
  // Not 9100: that is node_exporter's well-known port, which operators already run on the same machines.
  static final Key<Integer> PORT = SCHEMA.port("port", 8190, "their port; 0 picks a free one");
  static final Key<Integer> INTERVAL = SCHEMA.millis("intervalMs", 2000, 50, 3_600_000,
    "from the start of one probe round to the start of the next (never less than a round takes: rounds never"
      + " overlap)");
  static final Key<Integer> TIMEOUT = SCHEMA.millis("timeoutMs", 1500, 10, 600_000,
    "the most any one probe may take; past it the part is reported down, so a hung part cannot stall a round");
  static final Key<Integer> HISTORY_SIZE = SCHEMA.integer("historySize", 300, 1, 100_000,
    "samples kept in memory per part for the page's charts and `/api/status` (300 at 2 s is ten minutes)");
  static final Key<HttpTarget> BALANCER = SCHEMA.key("balancer", BALANCER_TARGET,
    HttpTarget.parse(new JsonObject().put("name", "lb").put("url", "http://127.0.0.1:8180/health/ready")),
    "the balancer's name and readiness URL");
  static final Key<List<HttpTarget>> SERVERS = SCHEMA.key("servers", SERVER_TARGETS, List.of(
      HttpTarget.parse(new JsonObject().put("name", "app-1").put("url", "http://127.0.0.1:8181/health/ready")),
      HttpTarget.parse(new JsonObject().put("name", "app-2").put("url", "http://127.0.0.1:8182/health/ready"))),
    "the application servers' names and readiness URLs; at least one, since the site is down without any");
  static final Key<JsonObject> PRIMARY = DatabaseNodeOptions.primary(SCHEMA, "foobar_monitor",
    "the primary: `MySQLConnectOptions`, each key given replacing the default's");
  static final Key<List<JsonObject>> REPLICAS = DatabaseNodeOptions.replicas(SCHEMA, "foobar_monitor",
    "the replicas, named `replica-1`, `replica-2`, ... in this order (may be empty); each as `primary`, port 13307"
      + " by default");
  static final Key<String> PASSWORD_FILE = SCHEMA.text("passwordFile", "state/secrets/monitor.password",
    "a file holding the monitoring user's password, for nodes whose options carry none (or"
      + " `FOOBAR_MONITOR_PRIMARY_PASSWORD`, ...); relative to the working directory; empty: none");
  static final Key<Integer> MAX_REPLICATION_LAG = SCHEMA.seconds("maxReplicationLagSeconds", 5, 0, 86_400,
    "replication is reported down beyond this `Seconds_Behind_Master` (and always when it is NULL); the alert has"
      + " its own threshold");
  static final Key<Settings> SYNTHETIC = SCHEMA.group("synthetic", SyntheticOptions.SCHEMA,
    "the end-to-end probe through the balancer's public URL (write, read back, delete a probe post)");
  static final Key<Settings> TRAFFIC = SCHEMA.group("traffic", TrafficOptions.SCHEMA,
    "the balancer's metrics, scraped each round for the site's request rate, errors and latency");
  static final Key<Settings> ALERTS = SCHEMA.group("alerts", AlertOptions.SCHEMA,
    "the alert rules evaluated after each round and the webhooks they notify");
  static final Key<Settings> FAILOVER = SCHEMA.group("failover", FailoverOptions.SCHEMA,
    "the failover manager: automatic promotion of a replica, fencing, switchover");

  private final Settings settings;

  /** @throws ConfigException when the balancer and a server share a name */
  public MonitorOptions(Settings settings) {
    this.settings = settings;
    String balancer = settings.get(BALANCER).name();
    if (settings.get(SERVERS).stream().anyMatch(server -> server.name().equals(balancer))) {
      throw new ConfigException(SCHEMA.what(), List.of("servers: component name '" + balancer + "' is used twice"
        + " (the balancer has it)"));
    }
  }

  /** Options from JSON (tests, tools): unknown keys and bad values fail, former names are accepted. */
  public MonitorOptions(JsonObject json) {
    this(SCHEMA.bind(json, LoggerFactory.getLogger(MonitorOptions.class)::warn));
  }

  /** A balancer name may not be one the database components or the synthetic probe have. */
  private static String reserved(HttpTarget target) {
    return Component.isReserved(target.name())
      ? "component name '" + target.name() + "' is reserved (databases, synthetic probe)" : null;
  }

  private static String servers(List<HttpTarget> servers) {
    if (servers.isEmpty()) {
      return "must name at least one application server";
    }
    Set<String> seen = new HashSet<>();
    for (HttpTarget server : servers) {
      String reserved = reserved(server);
      if (reserved != null) {
        return reserved;
      }
      if (!seen.add(server.name())) {
        return "component name '" + server.name() + "' is used twice";
      }
    }
    return null;
  }

  public JsonObject toJson() {
    return settings.toJson();
  }

  /** The status server's options (host and port; the rest are Vert.x defaults). */
  public HttpServerOptions httpServerOptions() {
    return new HttpServerOptions().setHost(host()).setPort(settings.get(PORT));
  }

  public String host() {
    return settings.get(HOST);
  }

  public int intervalMs() {
    return settings.get(INTERVAL);
  }

  public int timeoutMs() {
    return settings.get(TIMEOUT);
  }

  public int historySize() {
    return settings.get(HISTORY_SIZE);
  }

  public HttpTarget balancer() {
    return settings.get(BALANCER);
  }

  public List<HttpTarget> servers() {
    return settings.get(SERVERS);
  }

  public MySQLConnectOptions primary() {
    return new MySQLConnectOptions(settings.get(PRIMARY));
  }

  public List<MySQLConnectOptions> replicas() {
    return settings.get(REPLICAS).stream().map(MySQLConnectOptions::new).toList();
  }

  /** The password file, or null when none is configured. */
  public String passwordFile() {
    String file = settings.get(PASSWORD_FILE);
    return file.isBlank() ? null : file;
  }

  public int maxReplicationLagSeconds() {
    return settings.get(MAX_REPLICATION_LAG);
  }

  public SyntheticOptions synthetic() {
    return new SyntheticOptions(settings.get(SYNTHETIC));
  }

  public TrafficOptions traffic() {
    return new TrafficOptions(settings.get(TRAFFIC));
  }

  public AlertOptions alerts() {
    return new AlertOptions(settings.get(ALERTS));
  }

  public FailoverOptions failover() {
    return new FailoverOptions(settings.get(FAILOVER));
  }

  /** Whether some database node has no password of its own, so that the password file is needed. */
  boolean needsPasswordFile() {
    return !DatabaseSecrets.hasPassword(primary())
      || replicas().stream().anyMatch(replica -> !DatabaseSecrets.hasPassword(replica));
  }

  /** What to probe, the nodes with {@code password} where they carry none. */
  ProbePlan probePlan(String password) {
    return new ProbePlan(balancer(), servers(), DatabaseSecrets.withPassword(primary(), password),
      replicas().stream().map(replica -> DatabaseSecrets.withPassword(replica, password)).toList(), intervalMs(),
      timeoutMs(), maxReplicationLagSeconds(), synthetic());
  }

  /** The database nodes by the names the probes use, the configured primary first (for the failover manager). */
  Map<String, MySQLConnectOptions> databaseNodes() {
    Map<String, MySQLConnectOptions> nodes = new LinkedHashMap<>();
    nodes.put(Component.primary().name(), primary());
    List<MySQLConnectOptions> replicas = replicas();
    for (int n = 1; n <= replicas.size(); n++) {
      nodes.put(Component.replica(n).name(), replicas.get(n - 1));
    }
    return nodes;
  }
}
