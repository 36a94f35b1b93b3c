package com.foobar.platform.system;

import com.foobar.platform.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Browser -> balancer -> two app servers -> primary/replica, end to end over real HTTP and real MariaDB. */
class TopologyTest {

  private Topology topology;
  private Vertx vertx;
  private WebClient browser;

  @BeforeEach
  void start() {
    topology = new Topology();
    vertx = Vertx.vertx();
    browser = WebClient.create(vertx, new WebClientOptions().setDefaultPort(topology.balancer.actualPort()));
  }

  @AfterEach
  void stop() {
    Await.result(vertx.close());
    topology.close();
  }

  @Test
  void repeatedRequestsAlternateBetweenTheTwoServers() {
    String previous = null;
    for (int i = 0; i < 6; i++) {
      HttpResponse<Buffer> page = Await.result(browser.get("/").send());
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.bodyAsString()).contains("post-form");
      String servedBy = page.getHeader("X-Served-By");
      assertThat(servedBy).isIn("app-1", "app-2").isNotEqualTo(previous);
      previous = servedBy;
    }
  }

  @Test
  void aPostWrittenThroughTheBalancerIsReadableThroughItAfterReplication() {
    String title = "end to end " + System.nanoTime();
    HttpResponse<Buffer> created = Await.result(browser.post("/api/posts")
      .sendJsonObject(new JsonObject().put("author", "e2e").put("title", title).put("body", "through the balancer")));
    assertThat(created.statusCode()).isEqualTo(201);
    long id = created.bodyAsJsonObject().getLong("id");

    Set<String> servedBy = new HashSet<>();
    AtomicReference<JsonObject> listed = new AtomicReference<>();
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      HttpResponse<Buffer> list = Await.result(browser.get("/api/posts?limit=5").send());
      servedBy.add(list.getHeader("X-Served-By"));
      listed.set(list.bodyAsJsonObject().getJsonArray("posts").getJsonObject(0));
      assertThat(listed.get().getLong("id")).isEqualTo(id);
    });
    assertThat(listed.get().getString("title")).isEqualTo(title);
    for (int i = 0; i < 2; i++) {
      HttpResponse<Buffer> read = Await.result(browser.get("/api/posts/" + id).send());
      assertThat(read.statusCode()).isEqualTo(200);
      servedBy.add(read.getHeader("X-Served-By"));
    }
    assertThat(servedBy).containsExactlyInAnyOrder("app-1", "app-2");
  }

  @Test
  void aCrashedServerCostsNoFailedReadsAndTheOtherTakesOver() {
    for (int i = 0; i < 4; i++) {
      assertThat(Await.result(browser.get("/api/posts?limit=1").send()).statusCode()).isEqualTo(200);
    }
    topology.crash(1);
    for (int i = 0; i < 20; i++) {
      HttpResponse<Buffer> response = Await.result(browser.get("/api/posts?limit=1").send());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.getHeader("X-Served-By")).isEqualTo("app-1");
    }
  }

  @Test
  void theMonitorSeesEveryPartUpAndThenTheCrashedServerDown() {
    WebClient monitor = WebClient.create(vertx, new WebClientOptions().setDefaultPort(topology.monitor.actualPort()));
    await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
      JsonObject status = Await.result(monitor.get("/api/status?history=false").send()).bodyAsJsonObject();
      assertThat(status.getString("status")).as(status.encodePrettily()).isEqualTo("UP");
      assertThat(componentNames(status)).contains("lb", "app-1", "app-2", "primary", "replica-1",
        "replication-replica-1");
    });
    topology.crash(1);
    await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
      JsonObject status = Await.result(monitor.get("/api/status?history=false").send()).bodyAsJsonObject();
      assertThat(status.getString("status")).isEqualTo("DEGRADED");
      assertThat(component(status, "app-2").getBoolean("up")).isFalse();
      assertThat(component(status, "app-1").getBoolean("up")).isTrue();
    });
    assertThat(Await.result(monitor.get("/metrics").send()).bodyAsString())
      .contains("foobar_component_up{component=\"app-2\",kind=\"server\"} 0.0");
  }

  private static Set<String> componentNames(JsonObject status) {
    Set<String> names = new HashSet<>();
    status.getJsonArray("components").forEach(c -> names.add(((JsonObject) c).getString("name")));
    return names;
  }

  private static JsonObject component(JsonObject status, String name) {
    return status.getJsonArray("components").stream().map(JsonObject.class::cast)
      .filter(c -> c.getString("name").equals(name)).findFirst().orElseThrow();
  }

  @Test
  void managementEndpointsAreNotReachableThroughThePublicPort() {
    for (String path : new String[] {"/metrics", "/health", "/health/ready", "/admin/backends"}) {
      for (int i = 0; i < 2; i++) {
        assertThat(Await.result(browser.get(path).send()).statusCode()).as(path).isEqualTo(404);
      }
    }
  }
}
