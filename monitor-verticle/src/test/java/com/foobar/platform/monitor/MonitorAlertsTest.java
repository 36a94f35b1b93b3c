package com.foobar.platform.monitor;

import com.foobar.platform.testing.MariaDbPair;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The monitor's alert rules against a real MariaDB pair and a real webhook receiver speaking Alertmanager's
 * {@code /api/v2/alerts}: a stopped replica, stopped replication threads, a down server and writable nodes are
 * reported within two probe intervals, fire once and resolve once.
 */
@ExtendWith(VertxExtension.class)
class MonitorAlertsTest {

  private static final int INTERVAL_MS = 300;
  private static final Duration WAIT = Duration.ofSeconds(30);

  private final FakeHealthEndpoint steady = new FakeHealthEndpoint();
  private final FakeHealthEndpoint flaky = new FakeHealthEndpoint();
  private final WebhookReceiver webhook = new WebhookReceiver();
  private MonitorVerticle monitor;
  private WebClient client;

  @BeforeAll
  static void database() {
    MariaDbPair.shared();
  }

  @BeforeEach
  void deploy(Vertx vertx, VertxTestContext context) {
    client = WebClient.create(vertx);
    monitor = new MonitorVerticle();
    MariaDbPair db = MariaDbPair.shared();
    JsonObject config = new JsonObject()
      .put("port", 0).put("intervalMs", INTERVAL_MS).put("timeoutMs", 1000)
      .put("balancer", new JsonObject().put("name", "lb").put("url", "http://127.0.0.1:1/unused"))
      .put("primary", new JsonObject().put("port", db.primaryPort()))
      .put("replicas", new JsonArray().add(new JsonObject().put("port", db.replicaPort())))
      .put("passwordFile", db.secret("monitor").toString())
      .put("synthetic", new JsonObject().put("enabled", false))
      .put("traffic", new JsonObject().put("enabled", false));
    Future.all(steady.start(vertx), flaky.start(vertx), webhook.start(vertx))
      .compose(started -> vertx.deployVerticle(monitor, new DeploymentOptions().setConfig(config
        .put("balancer", new JsonObject().put("name", "lb").put("url", steady.url()))
        .put("servers", new JsonArray()
          .add(new JsonObject().put("name", "app-1").put("url", steady.url()))
          .add(new JsonObject().put("name", "app-2").put("url", flaky.url())))
        .put("alerts", new JsonObject().put("webhooks", new JsonArray().add(webhook.url()))
          .put("componentDownForSeconds", 1).put("replicationForSeconds", 1).put("repeatIntervalSeconds", 3600)))))
      .onComplete(context.succeedingThenComplete());
  }

  private HttpResponse<Buffer> get(String path) {
    try {
      return client.get(monitor.actualPort(), "127.0.0.1", path).send().toCompletionStage().toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("GET " + path + " failed", e);
    }
  }

  private JsonObject awaitStatus(Predicate<JsonObject> condition) {
    JsonObject[] last = new JsonObject[1];
    await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
      .until(() -> condition.test(last[0] = get("/api/status").bodyAsJsonObject()));
    return last[0];
  }

  private static JsonObject component(JsonObject status, String name) {
    return status.getJsonArray("components").stream().map(JsonObject.class::cast)
      .filter(component -> name.equals(component.getString("name"))).findFirst().orElseThrow();
  }

  private static List<JsonObject> active(JsonObject status, String state) {
    return status.getJsonObject("alerts").getJsonArray("active").stream().map(JsonObject.class::cast)
      .filter(alert -> state.equals(alert.getString("state"))).toList();
  }

  private static boolean firing(JsonObject status, String key) {
    return active(status, "firing").stream().anyMatch(alert -> key.equals(alert.getString("key")));
  }

  /** At most the round under way at the change may still have seen the component in its old state. */
  private static void reportedWithinTwoIntervals(JsonObject status, String component, long changedAt, boolean up) {
    long stale = status.getJsonObject("history").getJsonArray(component).stream().map(JsonObject.class::cast)
      .filter(sample -> sample.getLong("t") >= changedAt).filter(sample -> sample.getBoolean("up") == up).count();
    assertThat(stale).as(component + " samples after the change still in the old state").isLessThanOrEqualTo(1);
  }

  private void awaitQuiet() {
    awaitStatus(s -> "UP".equals(s.getString("status")) && s.getJsonObject("alerts").getJsonArray("active").isEmpty());
  }

  /** One incident, one alert: the replication into the stopped node is its alert, not a second one. */
  @Test
  void aStoppedReplicaFiresAndResolvesItsAlerts() {
    MariaDbPair db = MariaDbPair.shared();
    awaitQuiet();
    try {
      db.stop("replica");
      long stoppedAt = System.currentTimeMillis();
      JsonObject status = awaitStatus(s -> !component(s, "replica-1").getBoolean("up"));
      reportedWithinTwoIntervals(status, "replica-1", stoppedAt, true);
      reportedWithinTwoIntervals(status, "replication-replica-1", stoppedAt, true);

      String nodeDown = "FoobarComponentDown{component=\"replica-1\",kind=\"database\",service=\"foobar\","
        + "severity=\"critical\"}";
      String broken = "FoobarReplicationBroken{replica=\"replica-1\",service=\"foobar\",severity=\"critical\"}";
      status = awaitStatus(s -> firing(s, nodeDown));
      assertThat(firing(status, broken)).as("replication of a node that is down").isFalse();
      assertThat(status.getString("status")).isEqualTo("DEGRADED");
      await().atMost(WAIT).untilAsserted(() -> assertThat(webhook.named("FoobarComponentDown", false)).hasSize(1));
      assertThat(webhook.named("FoobarReplicationBroken", false)).isEmpty();
      JsonObject sent = webhook.named("FoobarComponentDown", false).get(0);
      assertThat(sent.getJsonObject("labels").getString("component")).isEqualTo("replica-1");
      assertThat(sent.getJsonObject("annotations").getString("summary")).contains("replica-1");
      assertThat(sent.getString("generatorURL")).startsWith("http://127.0.0.1:" + monitor.actualPort());
      await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertThat(get("/metrics").bodyAsString())
        .contains("foobar_alerts_firing{alertname=\"FoobarComponentDown\"} 1.0")
        .contains("foobar_alerts_firing{alertname=\"FoobarReplicationBroken\"} 0.0")
        .contains("foobar_alert_notifications_total{outcome=\"sent\"}"));
    } finally {
      db.up();
    }
    long upAt = System.currentTimeMillis();
    JsonObject status = awaitStatus(s -> component(s, "replica-1").getBoolean("up"));
    reportedWithinTwoIntervals(status, "replica-1", upAt, false);
    awaitQuiet();
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(webhook.named("FoobarComponentDown", true)).hasSize(1);
      assertThat(webhook.named("FoobarReplicationBroken", true)).isEmpty();
    });
    // De-duplicated: one firing and one resolved notification per alert, however many rounds it lasted.
    assertThat(webhook.received()).hasSize(2);
    assertThat(get("/api/status").bodyAsJsonObject().getJsonObject("alerts").getJsonArray("resolved")).hasSize(1);
  }

  @Test
  void stoppedReplicationThreadsFireReplicationBroken() {
    MariaDbPair db = MariaDbPair.shared();
    awaitQuiet();
    try {
      db.sql("replica", "STOP SLAVE");
      long stoppedAt = System.currentTimeMillis();
      JsonObject status = awaitStatus(s -> !component(s, "replication-replica-1").getBoolean("up"));
      reportedWithinTwoIntervals(status, "replication-replica-1", stoppedAt, true);
      await().atMost(WAIT).untilAsserted(() -> assertThat(webhook.named("FoobarReplicationBroken", false)).hasSize(1));
      assertThat(webhook.named("FoobarReplicationBroken", false).get(0).getJsonObject("annotations")
        .getString("description")).contains("IO thread No, SQL thread No");
      assertThat(webhook.named("FoobarComponentDown", false)).as("the node itself still answers").isEmpty();
    } finally {
      db.sql("replica", "START SLAVE");
    }
    awaitQuiet();
    await().atMost(WAIT).untilAsserted(() -> assertThat(webhook.named("FoobarReplicationBroken", true)).hasSize(1));
  }

  @Test
  void aDownServerFiresOnlyAfterItsForDuration() {
    awaitQuiet();
    flaky.mode(FakeHealthEndpoint.Mode.DOWN);
    long downAt = System.currentTimeMillis();
    JsonObject status = awaitStatus(s -> !component(s, "app-2").getBoolean("up"));
    reportedWithinTwoIntervals(status, "app-2", downAt, true);
    String key = "FoobarServerDown{component=\"app-2\",kind=\"server\",service=\"foobar\",severity=\"warning\"}";
    status = awaitStatus(s -> firing(s, key));
    JsonObject alert = active(status, "firing").get(0);
    // componentDownForSeconds is 1: pending first, firing a second later.
    assertThat(Duration.between(java.time.Instant.parse(alert.getString("activeAt")),
      java.time.Instant.parse(alert.getString("firingAt")))).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    await().atMost(WAIT).untilAsserted(() -> assertThat(webhook.named("FoobarServerDown", false)).hasSize(1));

    flaky.mode(FakeHealthEndpoint.Mode.UP);
    awaitQuiet();
    await().atMost(WAIT).untilAsserted(() -> assertThat(webhook.named("FoobarServerDown", true)).hasSize(1));
    JsonObject resolved = webhook.named("FoobarServerDown", true).get(0);
    assertThat(resolved.getJsonObject("labels").getString("component")).isEqualTo("app-2");
  }

  @Test
  void aWritableReplicaAndTwoWritableNodesFire() {
    MariaDbPair db = MariaDbPair.shared();
    awaitQuiet();
    try {
      db.sql("replica", "SET GLOBAL read_only = 0");
      awaitStatus(s -> firing(s, "FoobarWritableReplica{replica=\"replica-1\",service=\"foobar\",severity=\"warning\"}")
        && firing(s, "FoobarTwoWritableNodes{service=\"foobar\",severity=\"critical\"}"));
      await().atMost(WAIT).untilAsserted(() -> assertThat(webhook.named("FoobarTwoWritableNodes", false)).hasSize(1));
      assertThat(webhook.named("FoobarTwoWritableNodes", false).get(0).getJsonObject("annotations")
        .getString("description")).contains("primary").contains("replica-1");
    } finally {
      db.sql("replica", "SET GLOBAL read_only = 1");
    }
    awaitQuiet();
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(webhook.named("FoobarWritableReplica", true)).hasSize(1);
      assertThat(webhook.named("FoobarTwoWritableNodes", true)).hasSize(1);
    });
  }
}
