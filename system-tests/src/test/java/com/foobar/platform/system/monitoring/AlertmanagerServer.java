package com.foobar.platform.system.monitoring;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.List;

/**
 * Debian's {@code prometheus-alertmanager} for a test, clustering off (no gossip port), on an ephemeral loopback
 * port with its own temp dir.
 */
public final class AlertmanagerServer extends LoopbackProcess {

  private AlertmanagerServer() {
    super("alertmanager");
  }

  /** Writes {@code alertmanager.yml} and starts. */
  public static AlertmanagerServer start(String config) {
    AlertmanagerServer server = new AlertmanagerServer();
    server.write("alertmanager.yml", config);
    server.launch(List.of("prometheus-alertmanager", "--config.file=" + server.dir().resolve("alertmanager.yml"),
      "--storage.path=" + server.dir().resolve("data"), "--web.listen-address=127.0.0.1:" + server.port(),
      "--cluster.listen-address="));
    return server;
  }

  /**
   * One route to one webhook with the given timings: grouped by alert name and instance, so each incident is one
   * notification; {@code send_resolved} so the recovery is one too.
   */
  public static String webhookConfig(String webhookUrl, Duration groupWait, Duration groupInterval,
                                     Duration repeatInterval) {
    return """
      route:
        receiver: webhook
        group_by: ['alertname', 'instance']
        group_wait: %dms
        group_interval: %dms
        repeat_interval: %dms
      receivers:
        - name: webhook
          webhook_configs:
            - url: '%s'
              send_resolved: true
      """.formatted(groupWait.toMillis(), groupInterval.toMillis(), repeatInterval.toMillis(), webhookUrl);
  }

  /** {@code /api/v2/alerts}: the alerts Alertmanager holds, each with {@code labels} and {@code status}. */
  public List<JsonObject> alerts() {
    return PrometheusServer.objects(new JsonArray(getText("/api/v2/alerts")));
  }

  /** Posts alerts as a client (Prometheus, the monitor) would. */
  public void post(JsonArray alerts) {
    postJson("/api/v2/alerts", alerts.encode());
  }

  /** The alerting section a {@code prometheus.yml} needs to send to this Alertmanager. */
  public String prometheusAlertingSection() {
    return """
      alerting:
        alertmanagers:
          - static_configs:
              - targets: ['127.0.0.1:%d']
      """.formatted(port());
  }
}
