package com.foobar.platform.system;

import com.foobar.platform.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The monitor over the real topology: the synthetic probe through the real balancer, the balancer's traffic,
 * a crashed app server reported and alerted to a real webhook receiver, health turning 503 and back when a
 * database node stops, and every tier's /metrics valid exposition format (checked by promtool).
 */
class MonitorSystemTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  private Vertx vertx;
  private WebClient client;
  private HttpServer receiver;
  private final List<JsonObject> received = new CopyOnWriteArrayList<>();
  private Topology topology;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    client = WebClient.create(vertx);
    receiver = Await.result(vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      body.toJsonArray().forEach(alert -> received.add((JsonObject) alert));
      request.response().end();
    })).listen(0, "127.0.0.1"));
    topology = new Topology(new JsonObject().put("alerts", new JsonObject()
      .put("webhooks", new JsonArray().add("http://127.0.0.1:" + receiver.actualPort() + "/api/v2/alerts"))
      .put("componentDownForSeconds", 1).put("repeatIntervalSeconds", 3600)));
  }

  @AfterEach
  void stop() {
    topology.close();
    Await.result(vertx.close());
  }

  private HttpResponse<Buffer> get(int port, String path) {
    return Await.result(client.get(port, "127.0.0.1", path).send(), 10);
  }

  private JsonObject awaitStatus(Predicate<JsonObject> condition) {
    JsonObject[] last = new JsonObject[1];
    await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
      .until(() -> condition.test(last[0] = get(topology.monitor.actualPort(), "/api/status").bodyAsJsonObject()));
    return last[0];
  }

  static JsonObject component(JsonObject status, String name) {
    return status.getJsonArray("components").stream().map(JsonObject.class::cast)
      .filter(component -> name.equals(component.getString("name"))).findFirst().orElseThrow();
  }

  private List<JsonObject> received(String alertname, Map<String, String> labels, boolean resolved) {
    long now = System.currentTimeMillis();
    return received.stream()
      .filter(alert -> alertname.equals(alert.getJsonObject("labels").getString("alertname")))
      .filter(alert -> labels.entrySet().stream()
        .allMatch(label -> label.getValue().equals(alert.getJsonObject("labels").getString(label.getKey()))))
      .filter(alert -> (java.time.Instant.parse(alert.getString("endsAt")).toEpochMilli() <= now) == resolved)
      .toList();
  }

  @Test
  void theSyntheticProbeWritesReadsAndDeletesThroughTheBalancer() {
    JsonObject status = awaitStatus(s -> "UP".equals(s.getString("status")) && s.getJsonObject("traffic")
      .getJsonArray("history").stream().map(JsonObject.class::cast)
      .anyMatch(sample -> sample.getDouble("requestsPerSecond") > 0));

    JsonObject synthetic = component(status, "synthetic");
    assertThat(synthetic.getString("kind")).isEqualTo("e2e");
    JsonObject detail = synthetic.getJsonObject("detail");
    assertThat(detail.getInteger("writeStatus")).isEqualTo(201);
    assertThat(detail.getInteger("readStatus")).isEqualTo(200);
    assertThat(detail.getInteger("deleteStatus")).isEqualTo(204);
    assertThat(detail.getLong("postId")).isPositive();
    assertThat(status.getJsonObject("traffic").getString("error")).isNull();
    // The probe's requests are real traffic through the balancer, so the scrape sees them.
    assertThat(status.getJsonObject("traffic").getJsonArray("history")).isNotEmpty();

    String metrics = get(topology.monitor.actualPort(), "/metrics").bodyAsString();
    assertThat(metrics).contains("foobar_component_up{component=\"synthetic\",kind=\"e2e\"} 1.0")
      .contains("foobar_synthetic_step_duration_seconds_bucket{step=\"read\"")
      .contains("foobar_synthetic_step_duration_seconds_count{step=\"delete\"}")
      .contains("foobar_probe_duration_seconds_count{component=\"synthetic\"}");
    // Probe posts are deleted at once: at most the one of the round under way exists.
    String left = topology.pair.sql("primary", "SELECT COUNT(*) FROM foobar.posts WHERE author = 'foobar-monitor'");
    assertThat(Integer.parseInt(left.strip())).isLessThanOrEqualTo(1);
  }

  @Test
  void aCrashedAppServerIsReportedAlertedAndResolved() {
    awaitStatus(s -> "UP".equals(s.getString("status")));
    topology.crash(1);
    long crashedAt = System.currentTimeMillis();
    JsonObject status = awaitStatus(s -> !component(s, "app-2").getBoolean("up"));
    long staleSamples = status.getJsonObject("history").getJsonArray("app-2").stream().map(JsonObject.class::cast)
      .filter(sample -> sample.getLong("t") >= crashedAt && sample.getBoolean("up")).count();
    assertThat(staleSamples).as("reported within two probe intervals").isLessThanOrEqualTo(1);
    assertThat(component(status, "synthetic").getBoolean("up")).as("the balancer routes around it").isTrue();
    await().atMost(WAIT).untilAsserted(() ->
      assertThat(received("FoobarServerDown", Map.of("component", "app-2"), false)).hasSize(1));

    topology.restart(1);
    awaitStatus(s -> "UP".equals(s.getString("status")) && s.getJsonObject("alerts").getJsonArray("active").isEmpty());
    await().atMost(WAIT).untilAsserted(() ->
      assertThat(received("FoobarServerDown", Map.of("component", "app-2"), true)).hasSize(1));
  }

  @Test
  void appHealthTurns503WhileTheReplicaIsStoppedAndBackTo200() {
    int management = topology.apps[0].managementPort();
    await().atMost(WAIT).untilAsserted(() -> assertThat(get(management, "/health").statusCode()).isEqualTo(200));
    try {
      topology.pair.stop("replica");
      await().atMost(WAIT).untilAsserted(() -> {
        HttpResponse<Buffer> health = get(management, "/health");
        assertThat(health.statusCode()).isEqualTo(503);
        assertThat(health.bodyAsString()).contains("replica-1");
      });
    } finally {
      topology.pair.up();
    }
    await().atMost(WAIT).untilAsserted(() -> assertThat(get(management, "/health").statusCode()).isEqualTo(200));
  }

  @Test
  void everyTiersMetricsAreValidExpositionFormatWithTheirSeries() {
    awaitStatus(s -> "UP".equals(s.getString("status")));
    Map<String, Integer> tiers = Map.of("lb", topology.balancer.managementPort(),
      "app-1", topology.apps[0].managementPort(), "app-2", topology.apps[1].managementPort(),
      "monitor", topology.monitor.actualPort());
    Map<String, List<String>> series = Map.of(
      "lb", List.of("foobar_lb_backend_up{", "foobar_lb_retries_total", "foobar_lb_frontend_http_responses_total{"),
      "app-1", List.of("foobar_app_db_queries_total{", "foobar_app_read_fallbacks_total", "vertx_pool_"),
      "app-2", List.of("foobar_app_db_failures_total{", "jvm_memory_used_bytes{"),
      "monitor", List.of("foobar_component_up{", "foobar_replication_lag_seconds{", "foobar_alerts_firing{",
        "foobar_replication_threads_running{", "foobar_probe_duration_seconds_bucket{", "foobar_probe_failures_total{"));
    tiers.forEach((tier, port) -> {
      HttpResponse<Buffer> response = get(port, "/metrics");
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.getHeader("content-type")).startsWith("text/plain");
      // promtool exits 1 on a parse error; 3 on naming lint (JVM metrics Micrometer names), which is not ours.
      Processes.Result check = Processes.run(List.of("promtool", "check", "metrics"), response.bodyAsString(), 60);
      assertThat(check.exitCode()).as(tier + ": " + check.output()).isNotEqualTo(1);
      assertThat(check.output()).as(tier).doesNotContain("error while linting");
      series.get(tier).forEach(name -> assertThat(response.bodyAsString()).as(tier).contains(name));
    });
  }
}
