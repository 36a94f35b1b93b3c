package com.foobar.platform.lb;

import com.foobar.platform.common.Options;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.HostAndPort;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Configuration of the balancer ({@code conf/lb.json}); every key maps onto a field here and may be overridden
 * by a {@code FOOBAR_LB_*} environment variable. The minimal contract other tools rely on is
 * {@code {"host": "127.0.0.1", "port": 8080, "backends": ["127.0.0.1:8081", "127.0.0.1:8082"]}}.
 */
public class LoadBalancerOptions {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8080;
  public static final List<String> DEFAULT_BACKENDS = List.of("127.0.0.1:8081", "127.0.0.1:8082");
  public static final String DEFAULT_MANAGEMENT_HOST = "127.0.0.1";
  public static final int DEFAULT_MANAGEMENT_PORT = 8180;
  public static final String DEFAULT_HEALTH_CHECK_PATH = "/healthz";
  /** With rise/fall of 2 and a 500 ms interval a dead backend stops getting traffic within about 1 s. */
  public static final int DEFAULT_HEALTH_CHECK_INTERVAL_MS = 500;
  public static final int DEFAULT_HEALTH_CHECK_TIMEOUT_MS = 400;
  public static final int DEFAULT_RISE = 2;
  public static final int DEFAULT_FALL = 2;
  public static final int DEFAULT_CONNECT_TIMEOUT_MS = 1000;
  public static final int DEFAULT_BACKEND_TIMEOUT_MS = 30_000;
  public static final int DEFAULT_MAX_CONNECTIONS_PER_BACKEND = 64;
  public static final int DEFAULT_MAX_QUEUE_PER_BACKEND = 256;
  public static final int DEFAULT_RETRIES = 2;
  public static final int DEFAULT_RETRY_AFTER_SECONDS = 1;

  private static final Set<String> KEYS = Set.of("host", "port", "backends", "management", "healthCheckPath",
    "healthCheckInterval", "healthCheckTimeout", "rise", "fall", "connectTimeout", "backendTimeout",
    "maxConnectionsPerBackend", "maxQueuePerBackend", "retries", "retryAfterSeconds");

  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;
  private List<HostAndPort> backends = parse(DEFAULT_BACKENDS);
  private HttpServerOptions management = defaultManagement();
  private String healthCheckPath = DEFAULT_HEALTH_CHECK_PATH;
  private int healthCheckInterval = DEFAULT_HEALTH_CHECK_INTERVAL_MS;
  private int healthCheckTimeout = DEFAULT_HEALTH_CHECK_TIMEOUT_MS;
  private int rise = DEFAULT_RISE;
  private int fall = DEFAULT_FALL;
  private int connectTimeout = DEFAULT_CONNECT_TIMEOUT_MS;
  private int backendTimeout = DEFAULT_BACKEND_TIMEOUT_MS;
  private int maxConnectionsPerBackend = DEFAULT_MAX_CONNECTIONS_PER_BACKEND;
  private int maxQueuePerBackend = DEFAULT_MAX_QUEUE_PER_BACKEND;
  private int retries = DEFAULT_RETRIES;
  private int retryAfterSeconds = DEFAULT_RETRY_AFTER_SECONDS;

  public LoadBalancerOptions() {
  }

  public LoadBalancerOptions(JsonObject json) {
    Options.requireKnownKeys(json, KEYS, "balancer options");
    setHost(json.getString("host", host));
    setPort(json.getInteger("port", port));
    if (json.containsKey("backends")) {
      List<String> list = new ArrayList<>();
      json.getJsonArray("backends").forEach(item -> list.add(String.valueOf(item)));
      setBackends(parse(list));
    }
    if (json.containsKey("management")) {
      setManagement(new HttpServerOptions(defaultManagement().toJson().mergeIn(json.getJsonObject("management"))));
    }
    setHealthCheckPath(json.getString("healthCheckPath", healthCheckPath));
    setHealthCheckInterval(json.getInteger("healthCheckInterval", healthCheckInterval));
    setHealthCheckTimeout(json.getInteger("healthCheckTimeout", healthCheckTimeout));
    setRise(json.getInteger("rise", rise));
    setFall(json.getInteger("fall", fall));
    setConnectTimeout(json.getInteger("connectTimeout", connectTimeout));
    setBackendTimeout(json.getInteger("backendTimeout", backendTimeout));
    setMaxConnectionsPerBackend(json.getInteger("maxConnectionsPerBackend", maxConnectionsPerBackend));
    setMaxQueuePerBackend(json.getInteger("maxQueuePerBackend", maxQueuePerBackend));
    setRetries(json.getInteger("retries", retries));
    setRetryAfterSeconds(json.getInteger("retryAfterSeconds", retryAfterSeconds));
  }

  public JsonObject toJson() {
    JsonArray backendJson = new JsonArray();
    backends.forEach(backend -> backendJson.add(backend.host() + ":" + backend.port()));
    return new JsonObject()
      .put("host", host).put("port", port).put("backends", backendJson)
      .put("management", new JsonObject().put("host", management.getHost()).put("port", management.getPort()))
      .put("healthCheckPath", healthCheckPath)
      .put("healthCheckInterval", healthCheckInterval)
      .put("healthCheckTimeout", healthCheckTimeout)
      .put("rise", rise).put("fall", fall)
      .put("connectTimeout", connectTimeout)
      .put("backendTimeout", backendTimeout)
      .put("maxConnectionsPerBackend", maxConnectionsPerBackend)
      .put("maxQueuePerBackend", maxQueuePerBackend)
      .put("retries", retries)
      .put("retryAfterSeconds", retryAfterSeconds);
  }

  private static HttpServerOptions defaultManagement() {
    return new HttpServerOptions().setHost(DEFAULT_MANAGEMENT_HOST).setPort(DEFAULT_MANAGEMENT_PORT);
  }

  /** Parses {@code host:port} backend addresses; a missing or bad port is an error, not a default. */
  static List<HostAndPort> parse(List<String> addresses) {
    List<HostAndPort> parsed = new ArrayList<>();
    for (String address : addresses) {
      HostAndPort hostAndPort = HostAndPort.parseAuthority(address.trim(), -1);
      if (hostAndPort == null || hostAndPort.port() <= 0 || hostAndPort.port() > 65535) {
        throw new IllegalArgumentException("backend '" + address + "' is not host:port");
      }
      parsed.add(hostAndPort);
    }
    return parsed;
  }

  public String getHost() {
    return host;
  }

  /** The public address; the balancer is the one tier meant to listen beyond loopback (set 0.0.0.0). */
  public LoadBalancerOptions setHost(String host) {
    this.host = Options.requireText("host", host);
    return this;
  }

  public int getPort() {
    return port;
  }

  public LoadBalancerOptions setPort(int port) {
    this.port = Options.requireRange("port", port, 0, 65535);
    return this;
  }

  public List<HostAndPort> getBackends() {
    return backends;
  }

  public LoadBalancerOptions setBackends(List<HostAndPort> backends) {
    if (backends.isEmpty()) {
      throw new IllegalArgumentException("backends must name at least one host:port");
    }
    this.backends = List.copyOf(backends);
    return this;
  }

  public HttpServerOptions getManagement() {
    return management;
  }

  /** Where {@code /metrics}, {@code /health} and {@code /admin} listen: loopback by default. */
  public LoadBalancerOptions setManagement(HttpServerOptions management) {
    Options.requireRange("management.port", management.getPort(), 0, 65535);
    this.management = management;
    return this;
  }

  public String getHealthCheckPath() {
    return healthCheckPath;
  }

  public LoadBalancerOptions setHealthCheckPath(String healthCheckPath) {
    if (healthCheckPath == null || !healthCheckPath.startsWith("/")) {
      throw new IllegalArgumentException("healthCheckPath must start with /");
    }
    this.healthCheckPath = healthCheckPath;
    return this;
  }

  public int getHealthCheckInterval() {
    return healthCheckInterval;
  }

  /** Milliseconds between active checks of each backend (HAProxy's {@code inter}). */
  public LoadBalancerOptions setHealthCheckInterval(int healthCheckInterval) {
    this.healthCheckInterval = Options.requireRange("healthCheckInterval", healthCheckInterval, 50, 3_600_000);
    return this;
  }

  public int getHealthCheckTimeout() {
    return healthCheckTimeout;
  }

  public LoadBalancerOptions setHealthCheckTimeout(int healthCheckTimeout) {
    this.healthCheckTimeout = Options.requireRange("healthCheckTimeout", healthCheckTimeout, 10, 600_000);
    return this;
  }

  public int getRise() {
    return rise;
  }

  /** Consecutive passed checks that bring a down backend back. */
  public LoadBalancerOptions setRise(int rise) {
    this.rise = Options.requireRange("rise", rise, 1, 100);
    return this;
  }

  public int getFall() {
    return fall;
  }

  /** Consecutive failed checks (or connection failures) that take a backend out. */
  public LoadBalancerOptions setFall(int fall) {
    this.fall = Options.requireRange("fall", fall, 1, 100);
    return this;
  }

  public int getConnectTimeout() {
    return connectTimeout;
  }

  public LoadBalancerOptions setConnectTimeout(int connectTimeout) {
    this.connectTimeout = Options.requireRange("connectTimeout", connectTimeout, 10, 600_000);
    return this;
  }

  public int getBackendTimeout() {
    return backendTimeout;
  }

  /** Milliseconds a backend may stay silent mid-request before the client gets a 504. */
  public LoadBalancerOptions setBackendTimeout(int backendTimeout) {
    this.backendTimeout = Options.requireRange("backendTimeout", backendTimeout, 10, 3_600_000);
    return this;
  }

  public int getMaxConnectionsPerBackend() {
    return maxConnectionsPerBackend;
  }

  public LoadBalancerOptions setMaxConnectionsPerBackend(int maxConnectionsPerBackend) {
    this.maxConnectionsPerBackend = Options.requireRange("maxConnectionsPerBackend", maxConnectionsPerBackend, 1,
      100_000);
    return this;
  }

  public int getMaxQueuePerBackend() {
    return maxQueuePerBackend;
  }

  /** Requests that may wait for a backend connection; past it the client gets a 503. */
  public LoadBalancerOptions setMaxQueuePerBackend(int maxQueuePerBackend) {
    this.maxQueuePerBackend = Options.requireRange("maxQueuePerBackend", maxQueuePerBackend, 0, 1_000_000);
    return this;
  }

  public int getRetries() {
    return retries;
  }

  /** How many other backends a request may be retried on when it could not be delivered. */
  public LoadBalancerOptions setRetries(int retries) {
    this.retries = Options.requireRange("retries", retries, 0, 10);
    return this;
  }

  public int getRetryAfterSeconds() {
    return retryAfterSeconds;
  }

  public LoadBalancerOptions setRetryAfterSeconds(int retryAfterSeconds) {
    this.retryAfterSeconds = Options.requireRange("retryAfterSeconds", retryAfterSeconds, 1, 3600);
    return this;
  }
}
