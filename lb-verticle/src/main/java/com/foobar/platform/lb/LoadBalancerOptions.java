package com.foobar.platform.lb;

import com.foobar.platform.common.config.ConfigException;
import com.foobar.platform.common.config.Key;
import com.foobar.platform.common.config.Schema;
import com.foobar.platform.common.config.Settings;
import com.foobar.platform.common.config.Types;
import com.foobar.platform.lb.backend.BackendSpec;
import com.foobar.platform.lb.edge.FirewallOptions;
import com.foobar.platform.lb.edge.TlsOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * Configuration of the balancer ({@code conf/lb.json}), every key declared once here with its type, range, unit,
 * default and meaning: the JSON binding, {@code toJson}, validation, the {@code FOOBAR_LB_*} environment overrides,
 * the configuration check ({@code --check}) and the README's key table all come from these declarations. Keys are
 * flat, like an HAProxy {@code defaults} section, but for the {@code tls} and {@code firewall} groups; durations
 * carry their unit in their name. The minimal contract other tools rely on is
 * {@code {"host": "127.0.0.1", "port": 8080, "backends": ["127.0.0.1:8081", "127.0.0.1:8082"]}}.
 */
public final class LoadBalancerOptions {

  public static final Schema SCHEMA = new Schema("balancer options");
  static final Key<String> HOST = SCHEMA.key("host", Types.nonEmptyText(), "127.0.0.1", "public address; the "
    + "balancer is the one tier meant to face clients (`0.0.0.0` to listen on all interfaces)");
  static final Key<Integer> PORT = SCHEMA.port("port", 8080, "public port (0 = any free port)");
  static final Key<List<BackendSpec>> BACKENDS = SCHEMA.key("backends", Types.listOf(BackendSpec.TYPE),
    List.of(BackendSpec.parse("127.0.0.1:8081"), BackendSpec.parse("127.0.0.1:8082")), "application servers: "
      + "`\"host:port\"` (weight 1) or `{\"address\":\"host:port\",\"weight\":n}` (1..256, HAProxy's `weight`); empty "
      + "only for a clustered balancer that discovers them (`clusterDiscovery`)");
  static final Key<JsonObject> MANAGEMENT = SCHEMA.vertx("management", new HttpServerOptions().toJson(),
    new JsonObject().put("host", "127.0.0.1").put("port", 8180), "`HttpServerOptions` of the management server: "
      + "`/metrics`, `/health`, `/health/live`, `/health/ready`, `/admin/*` (never on the public port)", List.of());
  static final Key<String> BALANCE = SCHEMA.oneOf("balance", "roundrobin", List.of("roundrobin", "leastconn"),
    "`roundrobin` (smooth weighted round robin: weights 3:1 go a a b a, not a a a b) or `leastconn` (fewest "
      + "in-flight requests per unit of weight)");
  static final Key<Integer> SLOW_START_MS = SCHEMA.millis("slowStartMs", 10_000, 0, 3_600_000, "ms over which a "
    + "backend that comes back up (checks or admin `ready`) ramps from a small share to its full weight (HAProxy's "
    + "`slowstart`); 0 = off", "slowStart");
  static final Key<String> HEALTH_CHECK_METHOD = SCHEMA.key("healthCheckMethod", Types.parsed("an HTTP method",
    raw -> HttpMethod.valueOf(((String) raw).strip()).name(), method -> method), "GET",
    "method of the active check (`option httpchk`)");
  static final Key<String> HEALTH_CHECK_PATH = SCHEMA.key("healthCheckPath", Types.checked(Types.text(), "a path",
    path -> path.startsWith("/") ? null : "must start with /"), "/healthz", "path of the active check");
  static final Key<String> HEALTH_CHECK_HOST = SCHEMA.text("healthCheckHost", "",
    "`Host` header of checks; empty = the backend's own `host:port`");
  static final Key<Integer> HEALTH_CHECK_EXPECTED_STATUS = SCHEMA.key("healthCheckExpectedStatus",
    Types.checked(Types.integer(0, 599, ""), "0 or a status from 100 to 599",
      status -> status == 0 || status >= 100 ? null : "must be 0 or from 100 to 599, got " + status), 0,
    "status a passing check answers (`http-check expect status`); 0 = any 2xx/3xx");
  static final Key<Integer> HEALTH_CHECK_INTERVAL_MS = SCHEMA.millis("healthCheckIntervalMs", 500, 50, 3_600_000,
    "ms between checks of each backend (`inter`)", "healthCheckInterval");
  static final Key<Integer> HEALTH_CHECK_TIMEOUT_MS = SCHEMA.millis("healthCheckTimeoutMs", 400, 10, 600_000,
    "ms a check may take; a check that times out while the backend answers forwarded requests well does not count "
      + "against it (under a burst the balancer's own busy loops make checks late); a refused connection or a bad "
      + "status always does", "healthCheckTimeout");
  static final Key<Integer> RISE = SCHEMA.integer("rise", 2, 1, 100,
    "consecutive passed checks that bring a backend back");
  static final Key<Integer> FALL = SCHEMA.integer("fall", 2, 1, 100, "consecutive failed checks that take a backend "
    + "out; a failed connection counts as a failed check, so a dead server is out within about 1 s");
  static final Key<Integer> ERROR_LIMIT = SCHEMA.integer("errorLimit", 10, 0, 10_000, "passive checks (`observe "
    + "layer7` + `error-limit` + `on-error mark-down`): this many server-caused failures in a row (5xx answers, "
    + "resets, timeouts, bodies broken off; see \"Termination states\") mark a backend DOWN before its next check; a "
    + "client that leaves never counts, nor a 503 with `Retry-After`, and passive evidence never takes out the last "
    + "backend taking traffic (its active checks decide); 0 = off");
  static final Key<Integer> CONNECT_TIMEOUT_MS = SCHEMA.millis("connectTimeoutMs", 1000, 10, 600_000,
    "ms to connect to a backend before trying another (`timeout connect`)", "connectTimeout");
  static final Key<Integer> BACKEND_TIMEOUT_MS = SCHEMA.millis("backendTimeoutMs", 30_000, 10, 3_600_000, "ms a "
    + "backend may stay silent mid-request, then " + LbError.GATEWAY_TIMEOUT.status() + ", or mid-body the client's "
    + "response is cut (`timeout server`); "
    + "checked by one sweep per event loop a tenth of the timeout apart (10 ms..1 s), so it fires within 10 % of its "
    + "value", "backendTimeout");
  static final Key<Integer> CLIENT_IDLE_TIMEOUT_MS = SCHEMA.millis("clientIdleTimeoutMs", 30_000, 10, 3_600_000,
    "ms a client connection may stay silent (`timeout client`)", "clientIdleTimeout");
  static final Key<Integer> REQUEST_HEADER_TIMEOUT_MS = SCHEMA.millis("requestHeaderTimeoutMs", 10_000, 10,
    3_600_000, "ms a client has to send a complete request head, from accept or from the end of the previous "
      + "response, then " + LbError.REQUEST_TIMEOUT.status() + " and close (`timeout http-request`, the slowloris "
      + "defence)", "requestHeaderTimeout");
  static final Key<Integer> TUNNEL_TIMEOUT_MS = SCHEMA.millis("tunnelTimeoutMs", 3_600_000, 10, 86_400_000, "ms a "
    + "WebSocket tunnel may be idle in both directions before both sides are closed (`timeout tunnel`)",
    "tunnelTimeout");
  static final Key<Integer> QUEUE_TIMEOUT_MS = SCHEMA.millis("queueTimeoutMs", 5_000, 1, 600_000,
    "ms a request may wait for a backend slot, then " + LbError.QUEUE_TIMEOUT.named() + " (`timeout queue`)",
    "queueTimeout");
  static final Key<Integer> SHUTDOWN_TIMEOUT_MS = SCHEMA.millis("shutdownTimeoutMs", 10_000, 0, 3_600_000, "ms a "
    + "stopping balancer (SIGTERM/undeploy) drains: it stops accepting, in-flight requests finish, keep-alive "
    + "clients are handed over (see `keepAliveTimeoutSeconds`); what is still open then is closed",
    "shutdownTimeout");
  static final Key<Integer> KEEP_ALIVE_TIMEOUT_SECONDS = SCHEMA.seconds("keepAliveTimeoutSeconds", 5, 1, 3600,
    "sent as `Keep-Alive: timeout=N` on every HTTP/1.1 response; while draining, each response says `Connection: "
      + "close` and an idle keep-alive connection is closed only once idle this long, so a client that honours the "
      + "header never sends into a closing connection; at most `shutdownTimeoutMs`");
  static final Key<Boolean> REUSE_PORT = SCHEMA.flag("reusePort", true, "`SO_REUSEPORT` on the public, HTTPS and "
    + "management listeners, so a new balancer process can listen beside a running one and take over "
    + "(`./foobar restart lb`); the native transports support it");
  static final Key<String> SERVER_STATE_FILE = SCHEMA.text("serverStateFile", "", "JSON file keeping the operator's "
    + "changes (DRAIN/MAINT, weights, added and removed backends) across restarts, written atomically (temporary "
    + "file, fsync, rename) on each change and read at start (HAProxy's `server-state-file`); `\"\"` = not kept. "
    + "The launcher sets `state/lb/server-state.json`");
  static final Key<Integer> MAX_CONNECTIONS_PER_BACKEND = SCHEMA.integer("maxConnectionsPerBackend", 64, 1, 100_000,
    "requests in flight to one backend at once (server `maxconn`), for the whole process across `-instances`; also "
      + "each event loop's keep-alive pool size per backend");
  static final Key<Integer> MAX_QUEUE_PER_BACKEND = SCHEMA.integer("maxQueuePerBackend", 100_000, 0, 1_000_000,
    "requests that may wait for a slot on a backend (`maxqueue`); past it " + LbError.QUEUE_FULL.named()
      + " with `Retry-After`. Large by default, as HAProxy's (no `maxqueue`): a burst waits and `queueTimeoutMs` is "
      + "the limit that counts");
  static final Key<Integer> MAX_HEADER_SIZE = SCHEMA.bytes("maxHeaderSize", 8192, 256, 1_048_576,
    "bytes of all request headers, past it " + LbError.HEADERS_TOO_LARGE.status());
  static final Key<Integer> MAX_URI_LENGTH = SCHEMA.bytes("maxUriLength", 8192, 64, 1_048_576,
    "bytes of the request line, past it " + LbError.URI_TOO_LONG.status());
  static final Key<Long> MAX_BODY_SIZE = SCHEMA.key("maxBodySize", Types.longInteger(0, 1L << 40, "bytes"),
    10L * 1024 * 1024, "bytes of a request body, past it " + LbError.PAYLOAD_TOO_LARGE.status() + ": a declared "
      + "`Content-Length` is refused before forwarding, a chunked body is counted while it streams (the backend "
      + "request is reset)");
  static final Key<Integer> RETRIES = SCHEMA.integer("retries", 2, 0, 10, "other backends a request may be retried "
    + "on when it could not be delivered (`retries` + `option redispatch`)");
  static final Key<Integer> RETRY_AFTER_SECONDS = SCHEMA.seconds("retryAfterSeconds", 1, 1, 3600,
    "`Retry-After` of the balancer's own 503s");
  static final Key<String> ACCESS_LOG = SCHEMA.oneOf("accessLog", "auto", List.of("auto", "combined", "json", "off"),
    "one line per request on logger `com.foobar.platform.lb.access` (its own file `<name>-access.log`, each line "
      + "only the record): `combined` (NCSA combined + `rid= backend= retries= backend_ms= total_ms= term= "
      + "reason=`), `json` (one JSON object a line: `time` ISO-8601, `client`, `method`, `path`, `query`, `version`, "
      + "`status`, `bytes`, `duration_ms`, `backend`, `backend_ms`, `retries`, `rid`, `term`, `term_side`, "
      + "`term_reason`, `referer`, `user_agent`), `auto` (`json` when `FOOBAR_LOG_FORMAT=json`, else `combined`) "
      + "or `off`");
  static final Key<Settings> TLS = SCHEMA.group("tls", TlsOptions.SCHEMA, "HTTPS at the edge");
  static final Key<Settings> FIREWALL = SCHEMA.group("firewall", FirewallOptions.SCHEMA,
    "allow and deny lists, rate limits and the per-client connection cap");
  static final Key<Boolean> CLUSTER_DISCOVERY = SCHEMA.flag("clusterDiscovery", true, "under `-cluster`: add the app "
    + "servers announced in the cluster (DOWN until `rise` checks pass) and remove them when they leave or die (see "
    + "\"Deployment\")");
  static final Key<Integer> DISCOVERY_INTERVAL_MS = SCHEMA.millis("discoveryIntervalMs", 1000, 100, 60_000,
    "ms between reads of the cluster's server directory", "discoveryInterval");

  private final Settings settings;
  private final HttpServerOptions management;
  private final TlsOptions tls;
  private final FirewallOptions firewall;

  public LoadBalancerOptions(Settings settings) {
    this.settings = settings;
    this.management = new HttpServerOptions(settings.get(MANAGEMENT));
    this.tls = new TlsOptions(settings.get(TLS));
    this.firewall = new FirewallOptions(settings.get(FIREWALL));
  }

  /** Options from JSON (a test's, an admin call's): strictly bound, cross-checked; a {@link ConfigException} else. */
  public static LoadBalancerOptions fromJson(JsonObject json) {
    LoadBalancerOptions options = new LoadBalancerOptions(SCHEMA.bind(json, warning -> { }));
    List<String> problems = options.problems(true);
    if (!problems.isEmpty()) {
      throw new ConfigException(SCHEMA.what(), problems);
    }
    return options;
  }

  /**
   * What is wrong beyond single keys: keys that depend on each other, the backend list of a balancer that cannot
   * discover servers ({@code clustered}: running with {@code -cluster}). Empty when the options can be used.
   */
  public List<String> problems(boolean clustered) {
    List<String> problems = new ArrayList<>();
    if (shutdownTimeoutMs() > 0 && keepAliveTimeoutSeconds() * 1000L > shutdownTimeoutMs()) {
      problems.add(KEEP_ALIVE_TIMEOUT_SECONDS.name() + ": " + keepAliveTimeoutSeconds() + " s must not be longer "
        + "than shutdownTimeoutMs (" + shutdownTimeoutMs() + " ms): a draining balancer waits that long for idle "
        + "clients");
    }
    if (backends().isEmpty() && !(clustered && clusterDiscovery())) {
      problems.add(BACKENDS.name() + " is empty: name at least one host:port, or run with -cluster and "
        + "clusterDiscovery");
    }
    return problems;
  }

  public JsonObject toJson() {
    return settings.toJson();
  }

  Settings settings() {
    return settings;
  }

  public String host() { return settings.get(HOST); }
  public int port() { return settings.get(PORT); }
  public List<BackendSpec> backends() { return settings.get(BACKENDS); }
  public HttpServerOptions management() { return new HttpServerOptions(management); }
  public String balance() { return settings.get(BALANCE); }
  public int slowStartMs() { return settings.get(SLOW_START_MS); }
  public String healthCheckMethod() { return settings.get(HEALTH_CHECK_METHOD); }
  public String healthCheckPath() { return settings.get(HEALTH_CHECK_PATH); }
  public String healthCheckHost() { return settings.get(HEALTH_CHECK_HOST).trim(); }
  public int healthCheckExpectedStatus() { return settings.get(HEALTH_CHECK_EXPECTED_STATUS); }
  public int healthCheckIntervalMs() { return settings.get(HEALTH_CHECK_INTERVAL_MS); }
  public int healthCheckTimeoutMs() { return settings.get(HEALTH_CHECK_TIMEOUT_MS); }
  public int rise() { return settings.get(RISE); }
  public int fall() { return settings.get(FALL); }
  public int errorLimit() { return settings.get(ERROR_LIMIT); }
  public int connectTimeoutMs() { return settings.get(CONNECT_TIMEOUT_MS); }
  public int backendTimeoutMs() { return settings.get(BACKEND_TIMEOUT_MS); }
  public int clientIdleTimeoutMs() { return settings.get(CLIENT_IDLE_TIMEOUT_MS); }
  public int requestHeaderTimeoutMs() { return settings.get(REQUEST_HEADER_TIMEOUT_MS); }
  public int tunnelTimeoutMs() { return settings.get(TUNNEL_TIMEOUT_MS); }
  public int queueTimeoutMs() { return settings.get(QUEUE_TIMEOUT_MS); }
  public int shutdownTimeoutMs() { return settings.get(SHUTDOWN_TIMEOUT_MS); }
  public int keepAliveTimeoutSeconds() { return settings.get(KEEP_ALIVE_TIMEOUT_SECONDS); }
  public boolean reusePort() { return settings.get(REUSE_PORT); }
  public String serverStateFile() { return settings.get(SERVER_STATE_FILE).trim(); }
  public int maxConnectionsPerBackend() { return settings.get(MAX_CONNECTIONS_PER_BACKEND); }
  public int maxQueuePerBackend() { return settings.get(MAX_QUEUE_PER_BACKEND); }
  public int maxHeaderSize() { return settings.get(MAX_HEADER_SIZE); }
  public int maxUriLength() { return settings.get(MAX_URI_LENGTH); }
  public long maxBodySize() { return settings.get(MAX_BODY_SIZE); }
  public int retries() { return settings.get(RETRIES); }
  public int retryAfterSeconds() { return settings.get(RETRY_AFTER_SECONDS); }
  public String accessLog() { return settings.get(ACCESS_LOG); }
  public TlsOptions tls() { return tls; }
  public FirewallOptions firewall() { return firewall; }
  public boolean clusterDiscovery() { return settings.get(CLUSTER_DISCOVERY); }
  public int discoveryIntervalMs() { return settings.get(DISCOVERY_INTERVAL_MS); }
}
