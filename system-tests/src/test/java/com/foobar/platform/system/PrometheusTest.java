package com.foobar.platform.system;

import com.foobar.platform.system.monitoring.AlertmanagerServer;
import com.foobar.platform.system.monitoring.PrometheusServer;
import com.foobar.platform.system.monitoring.WebhookReceiver;
import com.foobar.platform.testing.RepoRoot;
import com.foobar.platform.testing.TempDirs;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code conf/prometheus.yml} and {@code conf/alerts.yml} for Prometheus users: promtool accepts them, and a real
 * Prometheus server (Debian's {@code prometheus}) running that config, pointed at a topology on ephemeral ports,
 * scrapes every tier up, loads every rule, and finds the series the rules use.
 */
class PrometheusTest {

  private static final Path CONF = RepoRoot.find().resolve("conf");

  /** promtool in the repository's layout, where conf/prometheus.yml finds the token in state/secrets. */
  @Test
  void promtoolAcceptsTheConfigAndTheRulesAndAmtoolTheAlertmanagerConfig() throws IOException {
    Path repo = TempDirs.create("foobar-promtool-");
    try {
      Files.createDirectories(repo.resolve("conf"));
      Files.createDirectories(repo.resolve("state/secrets"));
      Files.writeString(repo.resolve("state/secrets/management.token"), "token\n");
      Files.copy(CONF.resolve("prometheus.yml"), repo.resolve("conf/prometheus.yml"));
      Files.copy(CONF.resolve("alerts.yml"), repo.resolve("conf/alerts.yml"));
      Processes.Result config = Processes.run(List.of("promtool", "check", "config",
        repo.resolve("conf/prometheus.yml").toString()), null, 60);
      assertThat(config.exitCode()).as(config.output()).isZero();
      assertThat(config.output()).contains("1 rule files found");
    } finally {
      TempDirs.delete(repo);
    }
    Processes.Result rules = Processes.run(List.of("promtool", "check", "rules",
      CONF.resolve("alerts.yml").toString()), null, 60);
    assertThat(rules.exitCode()).as(rules.output()).isZero();
    assertThat(rules.output()).contains("SUCCESS: 19 rules found");
    Processes.Result alertmanager = Processes.run(List.of("amtool", "check-config",
      CONF.resolve("alertmanager.yml").toString()), null, 60);
    assertThat(alertmanager.exitCode()).as(alertmanager.output()).isZero();
    assertThat(alertmanager.output()).contains("SUCCESS").contains("2 receivers");
  }

  /**
   * conf/prometheus.yml with the local stack's ports replaced by the topology's, scraping every second, a token
   * file of its own (this topology has no token: any is accepted) and no Alertmanager (port 1: nothing of a
   * developer's own stack on 9093 gets this test's alerts).
   */
  private static String configFor(Topology topology, Path token) throws IOException {
    Files.writeString(token, "token\n");
    return Files.readString(CONF.resolve("prometheus.yml"))
      .replace("../state/secrets/management.token", token.toString())
      .replace("127.0.0.1:9093", "127.0.0.1:1")
      .replace("scrape_interval: 5s", "scrape_interval: 1s")
      .replace("evaluation_interval: 5s", "evaluation_interval: 1s")
      .replace("127.0.0.1:8180", "127.0.0.1:" + topology.balancer.managementPort())
      .replace("127.0.0.1:8181", "127.0.0.1:" + topology.apps[0].managementPort())
      .replace("127.0.0.1:8182", "127.0.0.1:" + topology.apps[1].managementPort())
      .replace("127.0.0.1:8190", "127.0.0.1:" + topology.monitor.actualPort());
  }

  @Test
  void aRealPrometheusScrapesEveryTierUpAndLoadsTheRules() throws Exception {
    Path dir = TempDirs.create("foobar-prometheus-");
    try (Topology topology = new Topology(new JsonObject())) {
      Files.writeString(dir.resolve("prometheus.yml"), configFor(topology, dir.resolve("management.token")));
      Files.copy(CONF.resolve("alerts.yml"), dir.resolve("alerts.yml"));
      try (PrometheusServer prometheus = PrometheusServer.start(dir, dir.resolve("prometheus.yml"))) {
        prometheus.awaitTargetsUp(4, Duration.ofSeconds(60));
        assertThat(prometheus.activeTargets())
          .extracting(target -> ((JsonObject) target).getJsonObject("labels").getString("job"))
          .containsExactlyInAnyOrder("lb", "app", "app", "monitor");
        assertThat(prometheus.rules()).hasSize(19).allSatisfy(rule -> assertThat(rule.getString("health")).isEqualTo("ok"));

        // The series the rules are written against exist under those names and labels.
        for (String query : List.of("foobar_component_up{job=\"monitor\"}", "foobar_replication_lag_seconds",
          "foobar_replication_threads_running", "foobar_database_writable{role=\"replica\"}",
          "foobar_lb_backend_up{job=\"lb\"}", "foobar_lb_frontend_http_responses_total{job=\"lb\"}",
          "foobar_lb_frontend_response_time_seconds_bucket{job=\"lb\"}",
          "vertx_pool_queue_time_seconds_count{job=\"app\",pool_name=\"primary\"}",
          "foobar_probe_duration_seconds_bucket{component=\"synthetic\"}",
          "disk_free_bytes{job=\"app\"}", "disk_total_bytes{job=\"monitor\"}",
          "jvm_memory_max_bytes{job=\"lb\",area=\"heap\"} > 0", "jvm_memory_used_bytes{job=\"app\",area=\"heap\"}")) {
          await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
            .untilAsserted(() -> assertThat(prometheus.query(query)).as(query).isNotEmpty());
        }
      }
    } finally {
      TempDirs.delete(dir);
    }
  }

  /** The test harness itself: an alert posted to a real Alertmanager reaches the webhook once, resolved once. */
  @Test
  void alertmanagerNotifiesTheWebhookOnceFiringAndOnceResolved() {
    try (WebhookReceiver webhook = WebhookReceiver.start();
         AlertmanagerServer alertmanager = AlertmanagerServer.start(AlertmanagerServer.webhookConfig(webhook.url(),
           Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofHours(1)))) {
      JsonObject alert = new JsonObject().put("labels", new JsonObject().put("alertname", "HarnessCheck")
        .put("severity", "warning")).put("annotations", new JsonObject().put("summary", "harness"));
      alertmanager.post(new JsonArray().add(alert));
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(webhook.count("HarnessCheck", "firing")).isEqualTo(1));
      alertmanager.post(new JsonArray().add(alert.copy().put("endsAt", Instant.now().minusSeconds(1).toString())));
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(webhook.count("HarnessCheck", "resolved")).isEqualTo(1));
      assertThat(webhook.count("HarnessCheck", "firing")).isEqualTo(1);
    }
  }
}
