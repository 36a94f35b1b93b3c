package com.foobar.platform.monitor.alert;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Every alert the platform raises, declared once: {@code conf/alerts.yml} is generated from this list (the
 * AlertsFileTest fails when the shipped file differs; {@code -Dfoobar.writeAlerts=true} rewrites it), and the
 * monitor's built-in engine takes the name, severity, labels and runbook of each rule it evaluates from here, so
 * one Alertmanager fed by both sees one alert, not two. The built-in engine judges its own conditions from its
 * probes; {@code expr} is the Prometheus form. Thresholds and {@code for} match the defaults of "alerts" in
 * {@code conf/monitor.json}.
 */
public final class AlertCatalog {

  /** The labels every alert carries besides its severity: one Alertmanager route matches them all. */
  public static final Map<String, String> COMMON_LABELS = Map.of("service", "foobar");

  /** One rule; {@code forSeconds} 0 fires on the first evaluation that finds the condition. */
  public record Rule(String group, String name, String severity, int forSeconds, String expr, String summary,
                     String description) {

    /** The section of docs/RUNBOOK.md that says what to do: its heading is the rule's name. */
    public String runbookUrl() {
      return "docs/RUNBOOK.md#" + name.toLowerCase(Locale.ROOT);
    }
  }

  private static final String AVAILABILITY = "foobar-availability";
  private static final String REPLICATION = "foobar-replication";
  private static final String DURABILITY = "foobar-durability";
  private static final String SITE = "foobar-site";
  private static final String RESOURCES = "foobar-resources";

  /** Components in planned maintenance (drained, in MAINT, restarting; a switchover: the database's). */
  private static final String IN_MAINTENANCE = "(foobar_maintenance == 1)";
  /** The same, under the label {@code to} names them by (replica, node, monitor_component). */
  private static String inMaintenanceAs(String to, String selector) {
    return "label_replace(foobar_maintenance" + selector + " == 1, \"" + to + "\", \"$1\", \"component\", \"(.+)\")";
  }
  /** A database node down, or the database in planned maintenance: what follows from it is not another page. */
  private static final String DATABASE_DOWN_OR_MAINTAINED =
    "(foobar_component_up{kind=\"database\"} == 0 or foobar_maintenance{kind=\"database\"} == 1)";

  public static final List<Rule> RULES = List.of(
    // A target the monitor also finds down (or holds in maintenance) is the monitor's alert, not a second page.
    new Rule(AVAILABILITY, "FoobarInstanceDown", "critical", 10,
      "up == 0 unless on (monitor_component) label_replace(foobar_component_up == 0, \"monitor_component\", \"$1\","
        + " \"component\", \"(.+)\")",
      "{{ $labels.job }} instance {{ $labels.instance }} is down",
      "Prometheus cannot scrape {{ $labels.instance }} ({{ $labels.tier }}) for 10 s."),
    new Rule(AVAILABILITY, AlertRules.COMPONENT_DOWN, "critical", 10,
      "foobar_component_up{kind!~\"replication|server\"} == 0 unless on (component) " + IN_MAINTENANCE,
      "{{ $labels.component }} is down",
      "The monitor finds {{ $labels.component }} ({{ $labels.kind }}) down for 10 s."),
    // An app server down is a warning: the balancer sends its share to the others.
    new Rule(AVAILABILITY, AlertRules.SERVER_DOWN, "warning", 10, "foobar_component_up{kind=\"server\"} == 0 unless on (component) " + IN_MAINTENANCE,
      "app server {{ $labels.component }} is down",
      "The monitor finds {{ $labels.component }} down for 10 s; the balancer serves from the others."),
    new Rule(AVAILABILITY, "FoobarNoBackendUp", "critical", 10, "max by (instance) (foobar_lb_backend_up) == 0",
      "the balancer has no backend up",
      "Every backend of {{ $labels.instance }} fails its health check: the site answers 503."),

    // Broken: a thread stopped, or the replica is known (threads series) but its lag is NULL (series removed);
    // not while the replica itself or the primary is down (their own alert) or the database is in maintenance.
    new Rule(REPLICATION, AlertRules.REPLICATION_BROKEN, "critical", 10,
      "(max by (replica) (foobar_replication_threads_running == 0)\nor (max by (replica) "
        + "(foobar_replication_threads_running) unless on (replica) foobar_replication_lag_seconds))\n"
        + "unless on (replica) label_replace(" + DATABASE_DOWN_OR_MAINTAINED + ", \"replica\", \"$1\", \"component\","
        + " \"(.+)\")\nunless on () (foobar_component_up{component=\"primary\"} == 0)",
      "replication into {{ $labels.replica }} is broken",
      "A replication thread stopped on {{ $labels.replica }}, or Seconds_Behind_Master is NULL: it applies nothing."),
    new Rule(REPLICATION, AlertRules.REPLICATION_LAG, "warning", 10, "foobar_replication_lag_seconds > 30 unless on (replica) "
        + inMaintenanceAs("replica", "{kind=\"database\"}"),
      "{{ $labels.replica }} lags {{ $value }} s behind the primary",
      "Seconds_Behind_Master above 30 s: reads from the replica are stale."),
    new Rule(REPLICATION, AlertRules.WRITABLE_REPLICA, "warning", 0, "foobar_database_writable{role=\"replica\"} == 1\n"
        + "unless on () (foobar_maintenance{kind=\"database\"} == 1)",
      "replica {{ $labels.node }} is writable",
      "{{ $labels.node }} has read_only=0: a write to it would fork it from the primary."),
    new Rule(REPLICATION, AlertRules.TWO_WRITABLE_NODES, "critical", 0,
      "sum by (instance) (foobar_database_writable) >= 2 unless on () (foobar_maintenance{kind=\"database\"} == 1)",
      "{{ $value }} database nodes are writable", "More than one node accepts writes; the data may diverge."),

    new Rule(DURABILITY, DatabaseAlerts.ERRANT_NODE, "critical", 0, "foobar_db_errant_gtids == 1",
      "{{ $labels.node }} holds transactions the writer lacks: {{ $labels.gtids }}",
      "{{ $labels.node }} is errant (GTIDs {{ $labels.gtids }}): fenced and kept out of reads. Look at them, then "
        + "rebuild it from the writer (./foobar rebuild {{ $labels.node }})."),
    new Rule(DURABILITY, DatabaseAlerts.WRITER_ASYNC, "warning", 10, "foobar_db_writer_semisync_active == 0 unless on () "
        + DATABASE_DOWN_OR_MAINTAINED,
      "the writer {{ $labels.node }} replicates asynchronously",
      "Rpl_semi_sync_master_status=OFF on {{ $labels.node }}: no replica acknowledges its commits; a failover is "
        + "held meanwhile."),
    // Once per failover (two within the window are one alert): the writer was lost and a node promoted. Info, not
    // a page: the lost node's own alert pages (FoobarComponentDown) until it is back; this says what happened.
    new Rule(DURABILITY, DatabaseAlerts.FAILOVER, "info", 0, "increase(foobar_failovers_total[5m]) > 0\n"
        + "unless on () (foobar_component_up{kind=\"database\"} == 0)",
      "a database failover happened",
      "{{ $labels.instance }} promoted a node in the last 5 minutes (foobar_db_writer_epoch is the new epoch); "
        + "bring the old writer back: it rejoins or is reported errant."),
    new Rule(DURABILITY, DatabaseAlerts.NO_SAFE_WRITER, "critical", 0, "foobar_db_no_safe_writer == 1",
      "no database node may safely write",
      "Diverged nodes, or a failover held because the lost writer ran asynchronously: GET /admin/failover says why."),

    // What clients saw at the balancer (its frontend series; the management port is not in them).
    new Rule(SITE, AlertRules.SITE_ERRORS, "critical", 30,
      "sum(rate(foobar_lb_frontend_http_responses_total{job=\"lb\",code=\"5xx\"}[1m]))\n"
        + "/ sum(rate(foobar_lb_frontend_http_responses_total{job=\"lb\"}[1m])) > 0.05\n"
        // As the built-in rule's minRequests: one failed request of three is not an incident.
        + "and on () sum(increase(foobar_lb_frontend_http_responses_total{job=\"lb\"}[1m])) >= 10",
      "the balancer answers {{ $value | humanizePercentage }} of requests with 5xx",
      "More than 5 % of the site's requests failed over the last minute."),
    new Rule(SITE, AlertRules.SITE_SLOW, "warning", 30,
      "histogram_quantile(0.95,\n  sum by (le) (rate(foobar_lb_frontend_response_time_seconds_bucket{job=\"lb\"}[1m])))"
        + " > 1",
      "the site's p95 response time is {{ $value | humanizeDuration }}",
      "95 % of the site's requests took up to this long over the last minute (more than 1 s)."),
    new Rule(SITE, "FoobarSyntheticP95Slow", "warning", 30,
      "histogram_quantile(0.95, sum by (le) (rate(foobar_probe_duration_seconds_bucket{component=\"synthetic\"}[5m])))"
        + " > 1",
      "p95 of the synthetic probe is {{ $value | humanizeDuration }}",
      "Writing, reading back and deleting a post through the balancer takes more than 1 s at p95."),
    new Rule(SITE, "FoobarSqlPoolWait", "warning", 30,
      "sum by (instance, pool_name) (rate(vertx_pool_queue_time_seconds_sum{job=\"app\"}[1m]))\n"
        + "/ sum by (instance, pool_name) (rate(vertx_pool_queue_time_seconds_count{job=\"app\"}[1m])) > 0.1\n"
        // Exhausted means busy: a few slow connects at start (a restart, its warm-up) are not an exhausted pool.
        + "and sum by (instance, pool_name) (rate(vertx_pool_queue_time_seconds_count{job=\"app\"}[1m])) > 1",
      "{{ $labels.instance }} waits {{ $value | humanizeDuration }} for a {{ $labels.pool_name }} connection",
      "The SQL pool is exhausted: requests queue for a connection for more than 100 ms on average."),

    new Rule(RESOURCES, "FoobarTlsCertificateExpiring", "warning", 0,
      "foobar_lb_tls_certificate_expiry_seconds < 14 * 86400",
      "the certificate {{ $labels.certificate }} expires in {{ $value | humanizeDuration }}",
      "A certificate the balancer serves expires within 14 days: visitors will get TLS errors."),
    // G1's young pools report no max (-1): the ratio is all heap used over the old generation's max (-Xmx).
    new Rule(RESOURCES, "FoobarHeapHigh", "warning", 300,
      "sum by (job, instance) (jvm_memory_used_bytes{area=\"heap\"})\n"
        + "/ sum by (job, instance) (jvm_memory_max_bytes{area=\"heap\"} > 0) > 0.9",
      "{{ $labels.job }} {{ $labels.instance }} uses {{ $value | humanizePercentage }} of its heap",
      "The heap has stayed above 90 % of its maximum for 5 minutes: garbage collection takes over, then "
        + "OutOfMemoryError."),
    new Rule(RESOURCES, "FoobarDiskNearlyFull", "critical", 60, "disk_free_bytes / disk_total_bytes < 0.1",
      "{{ $labels.path }} has {{ $value | humanizePercentage }} free",
      "Less than 10 % free on the disk of the state directory (database data, binary logs, logs): MariaDB stops "
        + "writing when it is full."));

  private AlertCatalog() {
  }

  /** The rule named {@code name}; the built-in engine declares nothing the catalog lacks. */
  public static Rule rule(String name) {
    return RULES.stream().filter(rule -> rule.name().equals(name)).findFirst()
      .orElseThrow(() -> new NoSuchElementException("no alert " + name + " in AlertCatalog"));
  }
}
