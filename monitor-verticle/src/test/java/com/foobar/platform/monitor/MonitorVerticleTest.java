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
 * The monitor against a real MariaDB primary/replica pair and two stand-in health endpoints: one for the
 * balancer and app-1 that stays up, one for app-2 that the tests take down.
 */
@ExtendWith(VertxExtension.class)
class MonitorVerticleTest {

  private static final int INTERVAL_MS = 300;
  private static final int TIMEOUT_MS = 250;
  private static final Duration WAIT = Duration.ofSeconds(20);

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
    Future.all(steady.start(vertx), flaky.start(vertx), webhook.start(vertx))
      .compose(started -> vertx.deployVerticle(monitor, new DeploymentOptions().setConfig(config())))
      .onComplete(context.succeedingThenComplete());
  }

  private JsonObject config() {
    MariaDbPair db = MariaDbPair.shared();
    return new JsonObject()
      .put("port", 0).put("intervalMs", INTERVAL_MS).put("timeoutMs", TIMEOUT_MS)
      .put("balancer", new JsonObject().put("name", "lb").put("url", steady.url()))
      .put("servers", new JsonArray()
        .add(new JsonObject().put("name", "app-1").put("url", steady.url()))
        .add(new JsonObject().put("name", "app-2").put("url", flaky.url())))
      .put("primary", new JsonObject().put("port", db.primaryPort()))
      .put("replicas", new JsonArray().add(new JsonObject().put("port", db.replicaPort())))
      .put("passwordFile", db.secret("monitor").toString())
      // The synthetic probe and the traffic scrape need a real balancer and app: see the system tests.
      .put("synthetic", new JsonObject().put("enabled", false))
      .put("traffic", new JsonObject().put("enabled", false))
      .put("alerts", new JsonObject().put("webhooks", new JsonArray().add(webhook.url()))
        .put("componentDownForSeconds", 1).put("replicationForSeconds", 1).put("repeatIntervalSeconds", 3600));
  }

  // The test thread blocks on the client; the event loops stay free.
  private HttpResponse<Buffer> get(String path) {
    try {
      return client.get(monitor.actualPort(), "127.0.0.1", path).send().toCompletionStage().toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("GET " + path + " failed", e);
    }
  }

  private JsonObject status() {
    HttpResponse<Buffer> response = get("/api/status");
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  private static JsonObject component(JsonObject status, String name) {
    return status.getJsonArray("components").stream().map(JsonObject.class::cast)
      .filter(component -> name.equals(component.getString("name"))).findFirst()
      .orElseThrow(() -> new AssertionError("no component " + name + " in " + status.encodePrettily()));
  }

  private JsonObject awaitStatus(Predicate<JsonObject> condition) {
    JsonObject[] last = new JsonObject[1];
    await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
      .until(() -> condition.test(last[0] = status()));
    return last[0];
  }

  private String metrics() {
    return get("/metrics").bodyAsString();
  }

  @Test
  void reportsTheWholeTopologyUp() {
    JsonObject status = awaitStatus(s -> "UP".equals(s.getString("status")));

    assertThat(status.getJsonArray("components")).extracting(c -> ((JsonObject) c).getString("name"))
      .containsExactly("lb", "app-1", "app-2", "primary", "replica-1", "replication-replica-1");
    assertThat(status.getJsonArray("components")).allSatisfy(c -> {
      JsonObject component = (JsonObject) c;
      assertThat(component.getBoolean("up")).as(component.encode()).isTrue();
      assertThat(component.getString("since")).isNotNull();
      assertThat(component.getString("checkedAt")).isNotNull();
      assertThat(component.getLong("latencyMs")).isNotNull();
      assertThat(component.getValue("error")).isNull();
    });
    assertThat(component(status, "app-1").getJsonObject("detail").getInteger("statusCode")).isEqualTo(200);
    assertThat(component(status, "app-1").getJsonObject("detail").getJsonArray("checks")).hasSize(1);
    JsonObject primary = component(status, "primary");
    assertThat(primary.getString("kind")).isEqualTo("database");
    assertThat(primary.getString("role")).isEqualTo("primary");
    assertThat(primary.getJsonObject("detail").getBoolean("readOnly")).isFalse();
    assertThat(primary.getJsonObject("detail").getString("gtidBinlogPos")).isNotBlank();
    JsonObject replica = component(status, "replica-1");
    assertThat(replica.getString("role")).isEqualTo("replica");
    assertThat(replica.getJsonObject("detail").getBoolean("readOnly")).isTrue();
    assertThat(replica.containsKey("warning")).isFalse();
    JsonObject replication = component(status, "replication-replica-1");
    assertThat(replication.getString("kind")).isEqualTo("replication");
    assertThat(replication.getJsonObject("detail").getString("ioThread")).isEqualTo("Yes");
    assertThat(replication.getJsonObject("detail").getString("sqlThread")).isEqualTo("Yes");
    assertThat(replication.getValue("lagSeconds")).isInstanceOf(Number.class);
    assertThat(status.getJsonObject("history").getJsonArray("replication-replica-1")).isNotEmpty();
    assertThat(status.getJsonObject("history").getJsonArray("replication-replica-1").getJsonObject(0)
      .containsKey("lagSeconds")).isTrue();

    JsonObject withoutHistory = get("/api/status?history=false").bodyAsJsonObject();
    assertThat(withoutHistory.containsKey("history")).isFalse();
    assertThat(get("/api/status?history=maybe").statusCode()).isEqualTo(400);

    String metrics = metrics();
    assertThat(metrics).contains("foobar_component_up{component=\"app-2\",kind=\"server\"} 1.0")
      .contains("foobar_component_up{component=\"replication-replica-1\",kind=\"replication\"} 1.0")
      .contains("foobar_replication_threads_running{replica=\"replica-1\",thread=\"io\"} 1.0")
      .contains("foobar_replication_threads_running{replica=\"replica-1\",thread=\"sql\"} 1.0")
      .contains("foobar_replication_lag_seconds{replica=\"replica-1\"}")
      .contains("foobar_probe_duration_seconds_count{component=\"primary\"}")
      .contains("foobar_probe_failures_total{component=\"app-2\"}");
  }

  @Test
  void servesHealthThePageAndJsonErrors() {
    awaitStatus(s -> s.getLong("round") > 0);

    assertThat(get("/health/live").statusCode()).isEqualTo(200);
    assertThat(get("/health/ready").statusCode()).isEqualTo(200);
    assertThat(get("/health").statusCode()).isEqualTo(200);
    HttpResponse<Buffer> page = get("/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.getHeader("content-type")).startsWith("text/html");
    assertThat(page.getHeader("content-security-policy")).contains("default-src 'none'");
    assertThat(page.bodyAsString()).contains("/api/status").doesNotContain("innerHTML").doesNotContain("src=\"http");
    HttpResponse<Buffer> missing = get("/nope");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.bodyAsJsonObject().getString("error")).isEqualTo("not_found");
  }

  @Test
  void reportsAServerDownWithinTwoIntervals() {
    awaitStatus(s -> "UP".equals(s.getString("status")));

    long switchedAt = System.currentTimeMillis();
    flaky.mode(FakeHealthEndpoint.Mode.DOWN);
    JsonObject status = awaitStatus(s -> !component(s, "app-2").getBoolean("up"));

    assertThat(status.getString("status")).isEqualTo("DEGRADED");
    assertThat(component(status, "app-2").getString("error")).isEqualTo("HTTP 503 (down: database/primary)");
    assertThat(component(status, "app-2").getJsonObject("detail").getInteger("statusCode")).isEqualTo(503);
    // Within two intervals, counted in rounds rather than time: at most the round under way at the switch
    // can still have seen app-2 up.
    List<JsonObject> after = status.getJsonObject("history").getJsonArray("app-2").stream()
      .map(JsonObject.class::cast).filter(sample -> sample.getLong("t") >= switchedAt).toList();
    assertThat(after.stream().filter(sample -> sample.getBoolean("up")).count()).isLessThanOrEqualTo(1);
    await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertThat(metrics())
      .contains("foobar_component_up{component=\"app-2\",kind=\"server\"} 0.0")
      .contains("foobar_component_up{component=\"app-1\",kind=\"server\"} 1.0"));

    flaky.close();
    status = awaitStatus(s -> component(s, "app-2").getString("error").toLowerCase().contains("refused"));
    assertThat(status.getString("status")).isEqualTo("DEGRADED");

    steady.mode(FakeHealthEndpoint.Mode.DOWN);
    status = awaitStatus(s -> !component(s, "lb").getBoolean("up") && !component(s, "app-1").getBoolean("up"));
    assertThat(status.getString("status")).isEqualTo("DOWN");
  }

  @Test
  void aHungServerIsCutOffByTheTimeoutAndDoesNotStallTheLoop() {
    awaitStatus(s -> "UP".equals(s.getString("status")));

    flaky.mode(FakeHealthEndpoint.Mode.HANG);
    JsonObject down = awaitStatus(s -> !component(s, "app-2").getBoolean("up"));
    // Whichever fires first: the loop's bound or the request's own timeout.
    assertThat(component(down, "app-2").getString("error")).containsAnyOf("no answer within 250 ms", "timeout");

    long round = down.getLong("round");
    JsonObject later = awaitStatus(s -> s.getLong("round") >= round + 3);
    assertThat(component(later, "lb").getBoolean("up")).isTrue();
    assertThat(component(later, "app-2").getBoolean("up")).isFalse();

    flaky.mode(FakeHealthEndpoint.Mode.UP);
    awaitStatus(s -> "UP".equals(s.getString("status")));
  }

  @Test
  void reportsReplicationStoppedAndRecovered() {
    MariaDbPair db = MariaDbPair.shared();
    awaitStatus(s -> "UP".equals(s.getString("status")));
    try {
      db.sql("replica", "STOP SLAVE");
      JsonObject status = awaitStatus(s -> !component(s, "replication-replica-1").getBoolean("up"));

      JsonObject replication = component(status, "replication-replica-1");
      assertThat(replication.getJsonObject("detail").getString("ioThread")).isEqualTo("No");
      assertThat(replication.getJsonObject("detail").getString("sqlThread")).isEqualTo("No");
      assertThat(replication.getValue("lagSeconds")).as("NULL lag is not zero").isNull();
      assertThat(replication.getString("error")).contains("IO thread No, SQL thread No");
      assertThat(component(status, "replica-1").getBoolean("up")).as("the node still answers").isTrue();
      assertThat(status.getString("status")).isEqualTo("DEGRADED");
      await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertThat(metrics())
        .contains("foobar_replication_threads_running{replica=\"replica-1\",thread=\"io\"} 0.0")
        .contains("foobar_replication_threads_running{replica=\"replica-1\",thread=\"sql\"} 0.0")
        .contains("foobar_component_up{component=\"replication-replica-1\",kind=\"replication\"} 0.0")
        .doesNotContain("foobar_replication_lag_seconds{"));

      db.sql("replica", "START SLAVE");
      status = awaitStatus(s -> "UP".equals(s.getString("status")));
      assertThat(component(status, "replication-replica-1").getValue("lagSeconds")).isInstanceOf(Number.class);
      assertThat(metrics()).contains("foobar_replication_lag_seconds{replica=\"replica-1\"}");
    } finally {
      db.sql("replica", "START SLAVE");
    }
  }

  /**
   * With no writable node the primary is down (read_only); with two, the replica is flagged. (One writable node
   * elsewhere is a change of writer, which DatabaseProbeTest covers.)
   */
  @Test
  void flagsAReadOnlyPrimaryAndAWritableReplica() {
    MariaDbPair db = MariaDbPair.shared();
    awaitStatus(s -> "UP".equals(s.getString("status")));
    try {
      db.sql("primary", "SET GLOBAL read_only = 1");
      JsonObject status = awaitStatus(s -> !component(s, "primary").getBoolean("up"));
      assertThat(component(status, "primary").getString("error")).isEqualTo("read_only");
      assertThat(status.getString("status")).isEqualTo("DEGRADED");

      db.sql("primary", "SET GLOBAL read_only = 0");
      db.sql("replica", "SET GLOBAL read_only = 0");
      status = awaitStatus(s -> component(s, "primary").getBoolean("up")
        && component(s, "replica-1").containsKey("warning"));
      JsonObject replica = component(status, "replica-1");
      assertThat(replica.getBoolean("up")).isTrue();
      assertThat(replica.getJsonObject("detail").getBoolean("readOnly")).isFalse();
      assertThat(replica.getString("warning")).isEqualTo("replica is writable (read_only=0)");
    } finally {
      db.sql("primary", "SET GLOBAL read_only = 0");
      db.sql("replica", "SET GLOBAL read_only = 1");
    }
    awaitStatus(s -> "UP".equals(s.getString("status")) && !component(s, "replica-1").containsKey("warning"));
  }
}
