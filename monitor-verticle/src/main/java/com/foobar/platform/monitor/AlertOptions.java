package com.foobar.platform.monitor;

import com.foobar.platform.common.Options;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The monitor's alert rules ({@code "alerts"} in {@code conf/monitor.json}): how long a condition must hold
 * before it fires (Prometheus' {@code for}), the thresholds, and the webhooks notified in Alertmanager's
 * {@code POST /api/v2/alerts} format. The same rules, in Prometheus form, are in {@code conf/alerts.yml}.
 */
public final class AlertOptions {

  public static final boolean DEFAULT_ENABLED = true;
  public static final int DEFAULT_COMPONENT_DOWN_FOR_SECONDS = 10;
  public static final int DEFAULT_REPLICATION_FOR_SECONDS = 10;
  public static final int DEFAULT_SITE_FOR_SECONDS = 30;
  public static final int DEFAULT_TOPOLOGY_FOR_SECONDS = 0;
  public static final int DEFAULT_MAX_REPLICATION_LAG_SECONDS = 30;
  public static final double DEFAULT_MAX_ERROR_RATIO = 0.05;
  public static final int DEFAULT_MIN_REQUESTS = 10;
  public static final int DEFAULT_MAX_LATENCY_MS = 1000;
  public static final int DEFAULT_WINDOW_SECONDS = 60;
  public static final int DEFAULT_REPEAT_INTERVAL_SECONDS = 60;
  /** How long the alert on a failover stays firing after it (one alert per failover). */
  public static final int DEFAULT_FAILOVER_ALERT_SECONDS = 300;
  /** How long the writer must run asynchronously (semi-sync fallen back) before that fires. */
  public static final int DEFAULT_ASYNC_FOR_SECONDS = 10;

  private static final Set<String> KEYS = Set.of("enabled", "webhooks", "componentDownForSeconds",
    "replicationForSeconds", "siteForSeconds", "topologyForSeconds", "maxReplicationLagSeconds", "maxErrorRatio",
    "minRequests", "maxLatencyMs", "windowSeconds", "repeatIntervalSeconds", "generatorUrl", "failoverAlertSeconds",
    "asyncForSeconds");

  private boolean enabled = DEFAULT_ENABLED;
  private List<String> webhooks = new ArrayList<>();
  private int componentDownForSeconds = DEFAULT_COMPONENT_DOWN_FOR_SECONDS;
  private int replicationForSeconds = DEFAULT_REPLICATION_FOR_SECONDS;
  private int siteForSeconds = DEFAULT_SITE_FOR_SECONDS;
  private int topologyForSeconds = DEFAULT_TOPOLOGY_FOR_SECONDS;
  private int maxReplicationLagSeconds = DEFAULT_MAX_REPLICATION_LAG_SECONDS;
  private double maxErrorRatio = DEFAULT_MAX_ERROR_RATIO;
  private int minRequests = DEFAULT_MIN_REQUESTS;
  private int maxLatencyMs = DEFAULT_MAX_LATENCY_MS;
  private int windowSeconds = DEFAULT_WINDOW_SECONDS;
  private int repeatIntervalSeconds = DEFAULT_REPEAT_INTERVAL_SECONDS;
  private String generatorUrl;
  private int failoverAlertSeconds = DEFAULT_FAILOVER_ALERT_SECONDS;
  private int asyncForSeconds = DEFAULT_ASYNC_FOR_SECONDS;

  public AlertOptions() {
  }

  public AlertOptions(JsonObject json) {
    Options.requireKnownKeys(json, KEYS, "alert options");
    setEnabled(json.getBoolean("enabled", enabled));
    if (json.containsKey("webhooks")) {
      List<String> list = new ArrayList<>();
      json.getJsonArray("webhooks").forEach(url -> list.add((String) url));
      setWebhooks(list);
    }
    setComponentDownForSeconds(json.getInteger("componentDownForSeconds", componentDownForSeconds));
    setReplicationForSeconds(json.getInteger("replicationForSeconds", replicationForSeconds));
    setSiteForSeconds(json.getInteger("siteForSeconds", siteForSeconds));
    setTopologyForSeconds(json.getInteger("topologyForSeconds", topologyForSeconds));
    setMaxReplicationLagSeconds(json.getInteger("maxReplicationLagSeconds", maxReplicationLagSeconds));
    setMaxErrorRatio(json.getDouble("maxErrorRatio", maxErrorRatio));
    setMinRequests(json.getInteger("minRequests", minRequests));
    setMaxLatencyMs(json.getInteger("maxLatencyMs", maxLatencyMs));
    setWindowSeconds(json.getInteger("windowSeconds", windowSeconds));
    setRepeatIntervalSeconds(json.getInteger("repeatIntervalSeconds", repeatIntervalSeconds));
    setGeneratorUrl(json.getString("generatorUrl", generatorUrl));
    setFailoverAlertSeconds(json.getInteger("failoverAlertSeconds", failoverAlertSeconds));
    setAsyncForSeconds(json.getInteger("asyncForSeconds", asyncForSeconds));
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("enabled", enabled).put("webhooks", new JsonArray(new ArrayList<>(webhooks)))
      .put("componentDownForSeconds", componentDownForSeconds).put("replicationForSeconds", replicationForSeconds)
      .put("siteForSeconds", siteForSeconds).put("topologyForSeconds", topologyForSeconds)
      .put("maxReplicationLagSeconds", maxReplicationLagSeconds).put("maxErrorRatio", maxErrorRatio)
      .put("minRequests", minRequests).put("maxLatencyMs", maxLatencyMs).put("windowSeconds", windowSeconds)
      .put("repeatIntervalSeconds", repeatIntervalSeconds).put("failoverAlertSeconds", failoverAlertSeconds)
      .put("asyncForSeconds", asyncForSeconds);
    if (generatorUrl != null) {
      json.put("generatorUrl", generatorUrl);
    }
    return json;
  }

  public boolean isEnabled() {
    return enabled;
  }

  public AlertOptions setEnabled(boolean enabled) {
    this.enabled = enabled;
    return this;
  }

  public List<String> getWebhooks() {
    return webhooks;
  }

  /** Alertmanager-compatible receivers, e.g. {@code http://127.0.0.1:9093/api/v2/alerts}; may be empty (log only). */
  public AlertOptions setWebhooks(List<String> webhooks) {
    List<String> checked = new ArrayList<>();
    webhooks.forEach(url -> checked.add(new HttpTarget("webhook", url).url()));
    this.webhooks = checked;
    return this;
  }

  public int getComponentDownForSeconds() {
    return componentDownForSeconds;
  }

  /** A part (balancer, server, database node, synthetic probe) down this long fires FoobarComponentDown. */
  public AlertOptions setComponentDownForSeconds(int seconds) {
    this.componentDownForSeconds = Options.requireRange("componentDownForSeconds", seconds, 0, 86_400);
    return this;
  }

  public int getReplicationForSeconds() {
    return replicationForSeconds;
  }

  /** Replication broken or lagging this long fires FoobarReplicationBroken / FoobarReplicationLag. */
  public AlertOptions setReplicationForSeconds(int seconds) {
    this.replicationForSeconds = Options.requireRange("replicationForSeconds", seconds, 0, 86_400);
    return this;
  }

  public int getSiteForSeconds() {
    return siteForSeconds;
  }

  /** Error ratio or latency beyond the threshold this long fires FoobarSiteErrors / FoobarSiteSlow. */
  public AlertOptions setSiteForSeconds(int seconds) {
    this.siteForSeconds = Options.requireRange("siteForSeconds", seconds, 0, 86_400);
    return this;
  }

  public int getFailoverAlertSeconds() {
    return failoverAlertSeconds;
  }

  public AlertOptions setFailoverAlertSeconds(int seconds) {
    this.failoverAlertSeconds = Options.requireRange("failoverAlertSeconds", seconds, 1, 86_400);
    return this;
  }

  public int getAsyncForSeconds() {
    return asyncForSeconds;
  }

  public AlertOptions setAsyncForSeconds(int seconds) {
    this.asyncForSeconds = Options.requireRange("asyncForSeconds", seconds, 0, 86_400);
    return this;
  }

  public int getTopologyForSeconds() {
    return topologyForSeconds;
  }

  /** A writable replica or two writable nodes this long fires FoobarWritableReplica / FoobarTwoWritableNodes. */
  public AlertOptions setTopologyForSeconds(int seconds) {
    this.topologyForSeconds = Options.requireRange("topologyForSeconds", seconds, 0, 86_400);
    return this;
  }

  public int getMaxReplicationLagSeconds() {
    return maxReplicationLagSeconds;
  }

  public AlertOptions setMaxReplicationLagSeconds(int seconds) {
    this.maxReplicationLagSeconds = Options.requireRange("alerts.maxReplicationLagSeconds", seconds, 0, 86_400);
    return this;
  }

  public double getMaxErrorRatio() {
    return maxErrorRatio;
  }

  /** The share of 5xx answers of the balancer (over the window) beyond which the site is in error. */
  public AlertOptions setMaxErrorRatio(double ratio) {
    if (!(ratio >= 0 && ratio <= 1)) {
      throw new IllegalArgumentException("maxErrorRatio must be between 0 and 1, got " + ratio);
    }
    this.maxErrorRatio = ratio;
    return this;
  }

  public int getMinRequests() {
    return minRequests;
  }

  /** The error ratio is judged only over at least this many requests, so one failed request is not an alert. */
  public AlertOptions setMinRequests(int minRequests) {
    this.minRequests = Options.requireRange("minRequests", minRequests, 1, 1_000_000);
    return this;
  }

  public int getMaxLatencyMs() {
    return maxLatencyMs;
  }

  /** The balancer's p95 latency over the window, or one synthetic probe, beyond this is slow. */
  public AlertOptions setMaxLatencyMs(int ms) {
    this.maxLatencyMs = Options.requireRange("maxLatencyMs", ms, 1, 600_000);
    return this;
  }

  public int getWindowSeconds() {
    return windowSeconds;
  }

  /** The window the balancer's error ratio and latency are computed over. */
  public AlertOptions setWindowSeconds(int seconds) {
    this.windowSeconds = Options.requireRange("windowSeconds", seconds, 1, 86_400);
    return this;
  }

  public int getRepeatIntervalSeconds() {
    return repeatIntervalSeconds;
  }

  /**
   * Firing alerts are sent again this often: Alertmanager resolves an alert it has not heard of for its
   * {@code resolve_timeout} (5 min by default), so a receiver must be reminded well within that.
   */
  public AlertOptions setRepeatIntervalSeconds(int seconds) {
    this.repeatIntervalSeconds = Options.requireRange("repeatIntervalSeconds", seconds, 1, 86_400);
    return this;
  }

  public String getGeneratorUrl() {
    return generatorUrl;
  }

  /** The link notifications carry; null means the monitor's own status page at its listening address. */
  public AlertOptions setGeneratorUrl(String url) {
    this.generatorUrl = url == null ? null : new HttpTarget("generatorUrl", url).url();
    return this;
  }
}
