package com.foobar.platform.lb;

import com.foobar.platform.common.Options;
import com.foobar.platform.lb.backend.BackendSpec;
import com.foobar.platform.lb.edge.FirewallOptions;
import com.foobar.platform.lb.edge.TlsOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Configuration of the balancer ({@code conf/lb.json}); every key maps onto a field here and may be overridden
 * by a {@code FOOBAR_LB_*} environment variable. Keys are flat, like an HAProxy {@code defaults} section; times
 * are milliseconds. The minimal contract other tools rely on is
 * {@code {"host": "127.0.0.1", "port": 8080, "backends": ["127.0.0.1:8081", "127.0.0.1:8082"]}}; a backend may
 * also be {@code {"address": "h:p", "weight": 2}}.
 */
public class LoadBalancerOptions {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8080;
  public static final List<String> DEFAULT_BACKENDS = List.of("127.0.0.1:8081", "127.0.0.1:8082");
  public static final String DEFAULT_MANAGEMENT_HOST = "127.0.0.1";
  public static final int DEFAULT_MANAGEMENT_PORT = 8180;
  public static final String DEFAULT_BALANCE = "roundrobin";
  public static final int DEFAULT_SLOW_START_MS = 10_000;
  public static final String DEFAULT_HEALTH_CHECK_METHOD = "GET";
  public static final String DEFAULT_HEALTH_CHECK_PATH = "/healthz";
  /** Empty: the Host header of a check is the backend's own host:port. */
  public static final String DEFAULT_HEALTH_CHECK_HOST = "";
  /** 0: any 2xx or 3xx passes. */
  public static final int DEFAULT_HEALTH_CHECK_EXPECTED_STATUS = 0;
  /** With rise/fall of 2 and a 500 ms interval a dead backend stops getting traffic within about 1 s. */
  public static final int DEFAULT_HEALTH_CHECK_INTERVAL_MS = 500;
  public static final int DEFAULT_HEALTH_CHECK_TIMEOUT_MS = 400;
  public static final int DEFAULT_RISE = 2;
  public static final int DEFAULT_FALL = 2;
  /** HAProxy's {@code error-limit} default for {@code observe layer7}. */
  public static final int DEFAULT_ERROR_LIMIT = 10;
  public static final int DEFAULT_CONNECT_TIMEOUT_MS = 1000;
  public static final int DEFAULT_BACKEND_TIMEOUT_MS = 30_000;
  public static final int DEFAULT_CLIENT_IDLE_TIMEOUT_MS = 30_000;
  public static final int DEFAULT_REQUEST_HEADER_TIMEOUT_MS = 10_000;
  public static final int DEFAULT_TUNNEL_TIMEOUT_MS = 3_600_000;
  public static final int DEFAULT_QUEUE_TIMEOUT_MS = 5_000;
  public static final int DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;
  public static final int DEFAULT_MAX_CONNECTIONS_PER_BACKEND = 64;
  public static final int DEFAULT_MAX_QUEUE_PER_BACKEND = 256;
  public static final int DEFAULT_MAX_HEADER_SIZE = 8192;
  public static final int DEFAULT_MAX_URI_LENGTH = 8192;
  public static final long DEFAULT_MAX_BODY_SIZE = 10L * 1024 * 1024;
  public static final int DEFAULT_RETRIES = 2;
  public static final int DEFAULT_RETRY_AFTER_SECONDS = 1;
  public static final String DEFAULT_ACCESS_LOG = "combined";
  /** Under {@code -cluster}: add the application servers announced in the cluster ({@link ClusterDiscovery}). */
  public static final boolean DEFAULT_CLUSTER_DISCOVERY = true;
  public static final int DEFAULT_DISCOVERY_INTERVAL_MS = 1000;
  /** Advertised in {@code Keep-Alive: timeout=N}; a draining balancer closes idle connections only after it. */
  public static final int DEFAULT_KEEP_ALIVE_TIMEOUT_SECONDS = 5;
  /** SO_REUSEPORT on the public and management listeners, so a new process can take over from a running one. */
  public static final boolean DEFAULT_REUSE_PORT = true;
  /** Empty: admin changes are not persisted. */
  public static final String DEFAULT_SERVER_STATE_FILE = "";

  private static final Set<String> BALANCES = Set.of("roundrobin", "leastconn");
  private static final Set<String> ACCESS_LOGS = Set.of("combined", "json", "off");
  private static final Set<String> KEYS = Set.of("host", "port", "backends", "management", "balance", "slowStart",
    "healthCheckMethod", "healthCheckPath", "healthCheckHost", "healthCheckExpectedStatus", "healthCheckInterval",
    "healthCheckTimeout", "rise", "fall", "errorLimit", "connectTimeout", "backendTimeout", "clientIdleTimeout",
    "requestHeaderTimeout", "tunnelTimeout", "queueTimeout", "shutdownTimeout", "maxConnectionsPerBackend",
    "maxQueuePerBackend", "maxHeaderSize", "maxUriLength", "maxBodySize", "retries", "retryAfterSeconds",
    "accessLog", "tls", "firewall", "clusterDiscovery", "discoveryInterval", "keepAliveTimeoutSeconds", "reusePort",
    "serverStateFile");

  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;
  private List<BackendSpec> backends = new ArrayList<>();
  private HttpServerOptions management = defaultManagement();
  private String balance = DEFAULT_BALANCE;
  private int slowStart = DEFAULT_SLOW_START_MS;
  private String healthCheckMethod = DEFAULT_HEALTH_CHECK_METHOD;
  private String healthCheckPath = DEFAULT_HEALTH_CHECK_PATH;
  private String healthCheckHost = DEFAULT_HEALTH_CHECK_HOST;
  private int healthCheckExpectedStatus = DEFAULT_HEALTH_CHECK_EXPECTED_STATUS;
  private int healthCheckInterval = DEFAULT_HEALTH_CHECK_INTERVAL_MS;
  private int healthCheckTimeout = DEFAULT_HEALTH_CHECK_TIMEOUT_MS;
  private int rise = DEFAULT_RISE;
  private int fall = DEFAULT_FALL;
  private int errorLimit = DEFAULT_ERROR_LIMIT;
  private int connectTimeout = DEFAULT_CONNECT_TIMEOUT_MS;
  private int backendTimeout = DEFAULT_BACKEND_TIMEOUT_MS;
  private int clientIdleTimeout = DEFAULT_CLIENT_IDLE_TIMEOUT_MS;
  private int requestHeaderTimeout = DEFAULT_REQUEST_HEADER_TIMEOUT_MS;
  private int tunnelTimeout = DEFAULT_TUNNEL_TIMEOUT_MS;
  private int queueTimeout = DEFAULT_QUEUE_TIMEOUT_MS;
  private int shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT_MS;
  private int maxConnectionsPerBackend = DEFAULT_MAX_CONNECTIONS_PER_BACKEND;
  private int maxQueuePerBackend = DEFAULT_MAX_QUEUE_PER_BACKEND;
  private int maxHeaderSize = DEFAULT_MAX_HEADER_SIZE;
  private int maxUriLength = DEFAULT_MAX_URI_LENGTH;
  private long maxBodySize = DEFAULT_MAX_BODY_SIZE;
  private int retries = DEFAULT_RETRIES;
  private int retryAfterSeconds = DEFAULT_RETRY_AFTER_SECONDS;
  private String accessLog = DEFAULT_ACCESS_LOG;
  private TlsOptions tls = new TlsOptions();
  private FirewallOptions firewall = new FirewallOptions();
  private boolean clusterDiscovery = DEFAULT_CLUSTER_DISCOVERY;
  private int discoveryInterval = DEFAULT_DISCOVERY_INTERVAL_MS;
  private int keepAliveTimeoutSeconds = DEFAULT_KEEP_ALIVE_TIMEOUT_SECONDS;
  private boolean reusePort = DEFAULT_REUSE_PORT;
  private String serverStateFile = DEFAULT_SERVER_STATE_FILE;

  public LoadBalancerOptions() {
    DEFAULT_BACKENDS.forEach(address -> backends.add(BackendSpec.parse(address)));
  }

  public LoadBalancerOptions(JsonObject json) {
    this();
    Options.requireKnownKeys(json, KEYS, "balancer options");
    setHost(json.getString("host", host));
    setPort(json.getInteger("port", port));
    if (json.containsKey("backends")) {
      List<BackendSpec> list = new ArrayList<>();
      json.getJsonArray("backends").forEach(item -> list.add(BackendSpec.parse(item)));
      setBackends(list);
    }
    if (json.containsKey("management")) {
      setManagement(new HttpServerOptions(defaultManagement().toJson().mergeIn(json.getJsonObject("management"))));
    }
    setBalance(json.getString("balance", balance));
    setSlowStart(json.getInteger("slowStart", slowStart));
    setHealthCheckMethod(json.getString("healthCheckMethod", healthCheckMethod));
    setHealthCheckPath(json.getString("healthCheckPath", healthCheckPath));
    setHealthCheckHost(json.getString("healthCheckHost", healthCheckHost));
    setHealthCheckExpectedStatus(json.getInteger("healthCheckExpectedStatus", healthCheckExpectedStatus));
    setHealthCheckInterval(json.getInteger("healthCheckInterval", healthCheckInterval));
    setHealthCheckTimeout(json.getInteger("healthCheckTimeout", healthCheckTimeout));
    setRise(json.getInteger("rise", rise));
    setFall(json.getInteger("fall", fall));
    setErrorLimit(json.getInteger("errorLimit", errorLimit));
    setConnectTimeout(json.getInteger("connectTimeout", connectTimeout));
    setBackendTimeout(json.getInteger("backendTimeout", backendTimeout));
    setClientIdleTimeout(json.getInteger("clientIdleTimeout", clientIdleTimeout));
    setRequestHeaderTimeout(json.getInteger("requestHeaderTimeout", requestHeaderTimeout));
    setTunnelTimeout(json.getInteger("tunnelTimeout", tunnelTimeout));
    setQueueTimeout(json.getInteger("queueTimeout", queueTimeout));
    setShutdownTimeout(json.getInteger("shutdownTimeout", shutdownTimeout));
    setMaxConnectionsPerBackend(json.getInteger("maxConnectionsPerBackend", maxConnectionsPerBackend));
    setMaxQueuePerBackend(json.getInteger("maxQueuePerBackend", maxQueuePerBackend));
    setMaxHeaderSize(json.getInteger("maxHeaderSize", maxHeaderSize));
    setMaxUriLength(json.getInteger("maxUriLength", maxUriLength));
    setMaxBodySize(json.getLong("maxBodySize", maxBodySize));
    setRetries(json.getInteger("retries", retries));
    setRetryAfterSeconds(json.getInteger("retryAfterSeconds", retryAfterSeconds));
    setAccessLog(json.getString("accessLog", accessLog));
    setTls(new TlsOptions(json.getJsonObject("tls", new JsonObject())));
    setFirewall(new FirewallOptions(json.getJsonObject("firewall", new JsonObject())));
    setClusterDiscovery(json.getBoolean("clusterDiscovery", clusterDiscovery));
    setDiscoveryInterval(json.getInteger("discoveryInterval", discoveryInterval));
    setKeepAliveTimeoutSeconds(json.getInteger("keepAliveTimeoutSeconds", keepAliveTimeoutSeconds));
    setReusePort(json.getBoolean("reusePort", reusePort));
    setServerStateFile(json.getString("serverStateFile", serverStateFile));
    if (shutdownTimeout > 0 && keepAliveTimeoutSeconds * 1000L > shutdownTimeout) {
      throw new IllegalArgumentException("keepAliveTimeoutSeconds (" + keepAliveTimeoutSeconds + " s) must not be longer "
        + "than shutdownTimeout (" + shutdownTimeout + " ms): a draining balancer waits that long for idle clients");
    }
  }

  public JsonObject toJson() {
    JsonArray backendJson = new JsonArray();
    backends.forEach(backend -> backendJson.add(backend.toJson()));
    return new JsonObject()
      .put("host", host).put("port", port).put("backends", backendJson)
      .put("management", new JsonObject().put("host", management.getHost()).put("port", management.getPort()))
      .put("balance", balance).put("slowStart", slowStart)
      .put("healthCheckMethod", healthCheckMethod).put("healthCheckPath", healthCheckPath)
      .put("healthCheckHost", healthCheckHost).put("healthCheckExpectedStatus", healthCheckExpectedStatus)
      .put("healthCheckInterval", healthCheckInterval).put("healthCheckTimeout", healthCheckTimeout)
      .put("rise", rise).put("fall", fall).put("errorLimit", errorLimit)
      .put("connectTimeout", connectTimeout).put("backendTimeout", backendTimeout)
      .put("clientIdleTimeout", clientIdleTimeout).put("requestHeaderTimeout", requestHeaderTimeout)
      .put("tunnelTimeout", tunnelTimeout).put("queueTimeout", queueTimeout).put("shutdownTimeout", shutdownTimeout)
      .put("maxConnectionsPerBackend", maxConnectionsPerBackend).put("maxQueuePerBackend", maxQueuePerBackend)
      .put("maxHeaderSize", maxHeaderSize).put("maxUriLength", maxUriLength).put("maxBodySize", maxBodySize)
      .put("retries", retries).put("retryAfterSeconds", retryAfterSeconds).put("accessLog", accessLog)
      .put("tls", tls.toJson()).put("firewall", firewall.toJson())
      .put("clusterDiscovery", clusterDiscovery).put("discoveryInterval", discoveryInterval)
      .put("keepAliveTimeoutSeconds", keepAliveTimeoutSeconds).put("reusePort", reusePort)
      .put("serverStateFile", serverStateFile);
  }

  private static HttpServerOptions defaultManagement() {
    return new HttpServerOptions().setHost(DEFAULT_MANAGEMENT_HOST).setPort(DEFAULT_MANAGEMENT_PORT);
  }

  private static int range(String name, int value, int min, int max) {
    return Options.requireRange(name, value, min, max);
  }

  private static String oneOf(String name, String value, Set<String> allowed) {
    if (!allowed.contains(value)) {
      throw new IllegalArgumentException(name + " must be one of " + allowed + ", got " + value);
    }
    return value;
  }

  // Getters and validating setters, in the order of the keys above.

  public String getHost() { return host; }

  /** The public address; the balancer is the one tier meant to listen beyond loopback (set 0.0.0.0). */
  public LoadBalancerOptions setHost(String host) { this.host = Options.requireText("host", host); return this; }

  public int getPort() { return port; }

  public LoadBalancerOptions setPort(int port) { this.port = range("port", port, 0, 65535); return this; }

  public List<BackendSpec> getBackends() { return backends; }

  public LoadBalancerOptions setBackends(List<BackendSpec> backends) {
    // Empty is allowed for a clustered balancer that discovers its servers; the verticle refuses it otherwise.
    if (backends == null) {
      throw new IllegalArgumentException("backends must be a list of host:port");
    }
    this.backends = new ArrayList<>(backends);
    return this;
  }

  public HttpServerOptions getManagement() { return management; }

  /** The management server (metrics, health, admin): loopback by default, never the public port. */
  public LoadBalancerOptions setManagement(HttpServerOptions management) { this.management = management; return this; }

  public String getBalance() { return balance; }

  /** {@code roundrobin} (smooth weighted) or {@code leastconn} (fewest in-flight requests per weight). */
  public LoadBalancerOptions setBalance(String balance) { this.balance = oneOf("balance", balance, BALANCES); return this; }

  public int getSlowStart() { return slowStart; }

  /** Ms over which a backend coming back up ramps from a small share to its full weight; 0 = off. */
  public LoadBalancerOptions setSlowStart(int v) { this.slowStart = range("slowStart", v, 0, 3_600_000); return this; }

  public String getHealthCheckMethod() { return healthCheckMethod; }

  public LoadBalancerOptions setHealthCheckMethod(String method) {
    this.healthCheckMethod = HttpMethod.valueOf(Options.requireText("healthCheckMethod", method)).name();
    return this;
  }

  public String getHealthCheckPath() { return healthCheckPath; }

  public LoadBalancerOptions setHealthCheckPath(String healthCheckPath) {
    if (healthCheckPath == null || !healthCheckPath.startsWith("/")) {
      throw new IllegalArgumentException("healthCheckPath must start with /");
    }
    this.healthCheckPath = healthCheckPath;
    return this;
  }

  public String getHealthCheckHost() { return healthCheckHost; }

  /** The Host header of checks; empty for the backend's own host:port. */
  public LoadBalancerOptions setHealthCheckHost(String v) { this.healthCheckHost = v == null ? "" : v.trim(); return this; }

  public int getHealthCheckExpectedStatus() { return healthCheckExpectedStatus; }

  /** The status a passing check answers; 0 accepts any 2xx or 3xx. */
  public LoadBalancerOptions setHealthCheckExpectedStatus(int v) {
    this.healthCheckExpectedStatus = v == 0 ? 0 : range("healthCheckExpectedStatus", v, 100, 599);
    return this;
  }

  public int getHealthCheckInterval() { return healthCheckInterval; }

  /** Ms between active checks of each backend (HAProxy's {@code inter}). */
  public LoadBalancerOptions setHealthCheckInterval(int v) { this.healthCheckInterval = range("healthCheckInterval", v, 50, 3_600_000); return this; }

  public int getHealthCheckTimeout() { return healthCheckTimeout; }

  public LoadBalancerOptions setHealthCheckTimeout(int v) { this.healthCheckTimeout = range("healthCheckTimeout", v, 10, 600_000); return this; }

  public int getRise() { return rise; }

  /** Consecutive passed checks that bring a down backend back. */
  public LoadBalancerOptions setRise(int rise) { this.rise = range("rise", rise, 1, 100); return this; }

  public int getFall() { return fall; }

  /** Consecutive failed checks (or connection failures) that take a backend out. */
  public LoadBalancerOptions setFall(int fall) { this.fall = range("fall", fall, 1, 100); return this; }

  public int getErrorLimit() { return errorLimit; }

  /** Consecutive 5xx answers or failed exchanges that mark a backend down (HAProxy's observe layer7); 0 = off. */
  public LoadBalancerOptions setErrorLimit(int v) { this.errorLimit = range("errorLimit", v, 0, 10_000); return this; }

  public int getConnectTimeout() { return connectTimeout; }

  public LoadBalancerOptions setConnectTimeout(int v) { this.connectTimeout = range("connectTimeout", v, 10, 600_000); return this; }

  public int getBackendTimeout() { return backendTimeout; }

  /** Ms a backend may stay silent mid-request before the client gets a 504 (HAProxy's {@code timeout server}). */
  public LoadBalancerOptions setBackendTimeout(int v) { this.backendTimeout = range("backendTimeout", v, 10, 3_600_000); return this; }

  public int getClientIdleTimeout() { return clientIdleTimeout; }

  /** Ms a client connection may stay silent (HAProxy's {@code timeout client}). */
  public LoadBalancerOptions setClientIdleTimeout(int v) { this.clientIdleTimeout = range("clientIdleTimeout", v, 10, 3_600_000); return this; }

  public int getRequestHeaderTimeout() { return requestHeaderTimeout; }

  /** Ms a client has to send a complete request head, then 408 (HAProxy's {@code timeout http-request}). */
  public LoadBalancerOptions setRequestHeaderTimeout(int v) { this.requestHeaderTimeout = range("requestHeaderTimeout", v, 10, 3_600_000); return this; }

  public int getTunnelTimeout() { return tunnelTimeout; }

  /** Ms a WebSocket tunnel may stay idle in both directions (HAProxy's {@code timeout tunnel}). */
  public LoadBalancerOptions setTunnelTimeout(int v) { this.tunnelTimeout = range("tunnelTimeout", v, 10, 86_400_000); return this; }

  public int getQueueTimeout() { return queueTimeout; }

  /** Ms a request may wait for a free backend slot, then 503 (HAProxy's {@code timeout queue}). */
  public LoadBalancerOptions setQueueTimeout(int v) { this.queueTimeout = range("queueTimeout", v, 1, 600_000); return this; }

  public int getShutdownTimeout() { return shutdownTimeout; }

  /** Ms in-flight requests get to finish on shutdown once the balancer stopped accepting. */
  public LoadBalancerOptions setShutdownTimeout(int v) { this.shutdownTimeout = range("shutdownTimeout", v, 0, 3_600_000); return this; }

  public int getMaxConnectionsPerBackend() { return maxConnectionsPerBackend; }

  /** Requests in flight to one backend at once (HAProxy's server {@code maxconn}); more wait in its queue. */
  public LoadBalancerOptions setMaxConnectionsPerBackend(int v) { this.maxConnectionsPerBackend = range("maxConnectionsPerBackend", v, 1, 100_000); return this; }

  public int getMaxQueuePerBackend() { return maxQueuePerBackend; }

  /** Requests that may wait for a backend slot; past it the client gets a 503 (HAProxy's {@code maxqueue}). */
  public LoadBalancerOptions setMaxQueuePerBackend(int v) { this.maxQueuePerBackend = range("maxQueuePerBackend", v, 0, 1_000_000); return this; }

  public int getMaxHeaderSize() { return maxHeaderSize; }

  /** Bytes of all request headers together; past it 431. */
  public LoadBalancerOptions setMaxHeaderSize(int v) { this.maxHeaderSize = range("maxHeaderSize", v, 256, 1_048_576); return this; }

  public int getMaxUriLength() { return maxUriLength; }

  /** Bytes of the request line; past it 414. */
  public LoadBalancerOptions setMaxUriLength(int v) { this.maxUriLength = range("maxUriLength", v, 64, 1_048_576); return this; }

  public long getMaxBodySize() { return maxBodySize; }

  /** Bytes of a request body, declared or streamed (chunked); past it 413. */
  public LoadBalancerOptions setMaxBodySize(long v) {
    if (v < 0) {
      throw new IllegalArgumentException("maxBodySize must be >= 0, got " + v);
    }
    this.maxBodySize = v;
    return this;
  }

  public int getRetries() { return retries; }

  /** How many other backends a request may be retried on when it could not be delivered. */
  public LoadBalancerOptions setRetries(int retries) { this.retries = range("retries", retries, 0, 10); return this; }

  public int getRetryAfterSeconds() { return retryAfterSeconds; }

  public LoadBalancerOptions setRetryAfterSeconds(int v) { this.retryAfterSeconds = range("retryAfterSeconds", v, 1, 3600); return this; }

  public String getAccessLog() { return accessLog; }

  /** {@code combined} (Apache/HAProxy-style line), {@code json} (one object per line) or {@code off}. */
  public LoadBalancerOptions setAccessLog(String v) { this.accessLog = oneOf("accessLog", v, ACCESS_LOGS); return this; }

  public TlsOptions getTls() { return tls; }

  /** HTTPS at the edge ({@link TlsOptions}); off while it has no certificate. */
  public LoadBalancerOptions setTls(TlsOptions tls) { this.tls = java.util.Objects.requireNonNull(tls); return this; }

  public FirewallOptions getFirewall() { return firewall; }

  /** Allow/deny lists, rate limits and the per-client connection cap ({@link FirewallOptions}). */
  public LoadBalancerOptions setFirewall(FirewallOptions v) { this.firewall = java.util.Objects.requireNonNull(v); return this; }

  public boolean isClusterDiscovery() { return clusterDiscovery; }

  /** Under {@code -cluster}, add announced application servers (after they pass {@code rise} checks). */
  public LoadBalancerOptions setClusterDiscovery(boolean v) { this.clusterDiscovery = v; return this; }

  public int getDiscoveryInterval() { return discoveryInterval; }

  /** ms between reads of the cluster's server directory. */
  public LoadBalancerOptions setDiscoveryInterval(int v) {
    this.discoveryInterval = range("discoveryInterval", v, 100, 60_000);
    return this;
  }

  public int getKeepAliveTimeoutSeconds() { return keepAliveTimeoutSeconds; }

  /**
   * Seconds sent to clients as {@code Keep-Alive: timeout=N}. While the balancer drains (a restart hands over to a
   * new process) it closes a keep-alive connection only once it has been idle that long, so a client that
   * honours the header cannot send a request into a closing connection. At most {@code shutdownTimeout}.
   */
  public LoadBalancerOptions setKeepAliveTimeoutSeconds(int v) {
    this.keepAliveTimeoutSeconds = range("keepAliveTimeoutSeconds", v, 1, 3600);
    return this;
  }

  public boolean isReusePort() { return reusePort; }

  /** SO_REUSEPORT on the listeners, so a new balancer process can listen beside this one and take over. */
  public LoadBalancerOptions setReusePort(boolean v) { this.reusePort = v; return this; }

  public String getServerStateFile() { return serverStateFile; }

  /**
   * A JSON file where admin changes (state, weight, added and removed backends) are written on each change and
   * read at start, so they survive a restart (HAProxy's {@code server-state-file}); empty: not kept.
   */
  public LoadBalancerOptions setServerStateFile(String v) { this.serverStateFile = v == null ? "" : v.trim(); return this; }
}
