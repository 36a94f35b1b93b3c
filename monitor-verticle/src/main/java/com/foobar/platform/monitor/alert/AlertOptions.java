package com.foobar.platform.monitor.alert;

import com.foobar.platform.common.config.Key;
import com.foobar.platform.common.config.Schema;
import com.foobar.platform.common.config.Settings;
import com.foobar.platform.common.config.Types;
import com.foobar.platform.common.config.ValueType;
import com.foobar.platform.monitor.probe.HttpTarget;

import java.util.List;

/**
 * The monitor's alert rules ({@code "alerts"} in {@code conf/monitor.json}): how long a condition must hold
 * before it fires (Prometheus' {@code for}), the thresholds, and the webhooks notified in Alertmanager's
 * {@code POST /api/v2/alerts} format. The same rules, in Prometheus form, are in {@code conf/alerts.yml}.
 */
public final class AlertOptions {

  public static final Schema SCHEMA = new Schema("alert options");
  private static final int DAY = 86_400;
  /** A share, such as that of failed requests. */
  private static final ValueType<Double> RATIO = Types.parsed("a number from 0 to 1", AlertOptions::ratio,
    ratio -> ratio);

  static final Key<Boolean> ENABLED = SCHEMA.flag("enabled", true, "evaluate the alert rules after each round");
  static final Key<List<String>> WEBHOOKS = SCHEMA.key("webhooks", Types.listOf(HttpTarget.URL), List.of(),
    "Alertmanager-compatible receivers, e.g. `[\"http://127.0.0.1:9093/api/v2/alerts\"]` (empty: log only)");
  static final Key<Integer> COMPONENT_DOWN_FOR = SCHEMA.seconds("componentDownForSeconds", 10, 0, DAY,
    "a part (balancer, server, database node, synthetic probe) down this long fires " + AlertRules.COMPONENT_DOWN
      + " (" + AlertRules.SERVER_DOWN + " for an app server)");
  static final Key<Integer> REPLICATION_FOR = SCHEMA.seconds("replicationForSeconds", 10, 0, DAY,
    "replication broken or lagging this long fires " + AlertRules.REPLICATION_BROKEN + " / "
      + AlertRules.REPLICATION_LAG);
  static final Key<Integer> SITE_FOR = SCHEMA.seconds("siteForSeconds", 30, 0, DAY,
    "error ratio or latency beyond the threshold this long fires " + AlertRules.SITE_ERRORS + " / "
      + AlertRules.SITE_SLOW);
  static final Key<Integer> TOPOLOGY_FOR = SCHEMA.seconds("topologyForSeconds", 0, 0, DAY,
    "a writable replica or two writable nodes this long fires " + AlertRules.WRITABLE_REPLICA + " / "
      + AlertRules.TWO_WRITABLE_NODES);
  static final Key<Integer> MAX_REPLICATION_LAG = SCHEMA.seconds("maxReplicationLagSeconds", 30, 0, DAY,
    AlertRules.REPLICATION_LAG + "'s threshold");
  static final Key<Double> MAX_ERROR_RATIO = SCHEMA.key("maxErrorRatio", RATIO, 0.05,
    "the share of 5xx answers of the balancer (or of failed synthetic probes) over the window beyond which the"
      + " site is in error (" + AlertRules.SITE_ERRORS + ")");
  static final Key<Integer> MIN_REQUESTS = SCHEMA.integer("minRequests", 10, 1, 1_000_000,
    "the error ratio is judged only over at least this many requests, so one failed request is not an alert");
  static final Key<Integer> MAX_LATENCY = SCHEMA.millis("maxLatencyMs", 1000, 1, 600_000,
    "the balancer's p95 latency over the window, or one synthetic probe, beyond this is slow ("
      + AlertRules.SITE_SLOW + ")");
  static final Key<Integer> WINDOW = SCHEMA.seconds("windowSeconds", 60, 1, DAY,
    "the window of the balancer's error ratio and p95 latency and of the synthetic failure ratio");
  static final Key<Integer> REPEAT_INTERVAL = SCHEMA.seconds("repeatIntervalSeconds", 60, 1, DAY,
    "firing alerts are sent again this often: Alertmanager resolves an alert it has not heard of for its"
      + " `resolve_timeout` (5 min by default), so a receiver must be reminded well within that");
  static final Key<String> GENERATOR_URL = SCHEMA.key("generatorUrl", HttpTarget.URL, null,
    "the link every notification carries (absent: the monitor's own status page at its listening address)");
  static final Key<Integer> FAILOVER_ALERT = SCHEMA.seconds("failoverAlertSeconds", 300, 1, DAY,
    "how long " + DatabaseAlerts.FAILOVER + " stays firing after a failover (one alert per failover)");
  static final Key<Integer> ASYNC_FOR = SCHEMA.seconds("asyncForSeconds", 10, 0, DAY,
    "the writer running asynchronously (semi-sync fallen back) this long fires " + DatabaseAlerts.WRITER_ASYNC);

  private final Settings settings;

  public AlertOptions(Settings settings) {
    this.settings = settings;
  }

  private static double ratio(Object raw) {
    if (!(raw instanceof Number number) || !(number.doubleValue() >= 0 && number.doubleValue() <= 1)) {
      throw new IllegalArgumentException("got " + raw);
    }
    return number.doubleValue();
  }

  public boolean enabled() {
    return settings.get(ENABLED);
  }

  List<String> webhooks() {
    return settings.get(WEBHOOKS);
  }

  int componentDownForSeconds() {
    return settings.get(COMPONENT_DOWN_FOR);
  }

  int replicationForSeconds() {
    return settings.get(REPLICATION_FOR);
  }

  int siteForSeconds() {
    return settings.get(SITE_FOR);
  }

  int topologyForSeconds() {
    return settings.get(TOPOLOGY_FOR);
  }

  int maxReplicationLagSeconds() {
    return settings.get(MAX_REPLICATION_LAG);
  }

  double maxErrorRatio() {
    return settings.get(MAX_ERROR_RATIO);
  }

  int minRequests() {
    return settings.get(MIN_REQUESTS);
  }

  int maxLatencyMs() {
    return settings.get(MAX_LATENCY);
  }

  int windowSeconds() {
    return settings.get(WINDOW);
  }

  int repeatIntervalSeconds() {
    return settings.get(REPEAT_INTERVAL);
  }

  /** The configured link for notifications, or null. */
  public String generatorUrl() {
    return settings.get(GENERATOR_URL);
  }

  int failoverAlertSeconds() {
    return settings.get(FAILOVER_ALERT);
  }

  int asyncForSeconds() {
    return settings.get(ASYNC_FOR);
  }
}
