package com.foobar.platform.system;

import com.foobar.platform.app.AppVerticle;
import com.foobar.platform.common.PlatformMetrics;
import com.foobar.platform.lb.LoadBalancerVerticle;
import com.foobar.platform.monitor.failover.FailoverManager;
import com.foobar.platform.monitor.failover.FailoverOptions;
import com.foobar.platform.testing.Await;
import com.foobar.platform.testing.MariaDbPair;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mysqlclient.MySQLConnectOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The primary SPOF closed: writes keep flowing through the balancer while the primary is SIGKILLed; the
 * failover manager promotes the replica, the apps follow it by {@code read_only}, no acknowledged write is
 * lost, and the old primary comes back as a read-only replica of the new one.
 */
class FailoverUnderLoadTest {

  private static final int FAIL_AFTER_MS = 1500;

  private MariaDbPair pair;
  private final Vertx vertx = Vertx.vertx();
  private FailoverManager manager;
  private WebClient client;

  @BeforeEach
  void start() {
    pair = MariaDbPair.isolated();
    List<Integer> appPorts = new ArrayList<>();
    for (int i = 1; i <= 2; i++) {
      AppVerticle app = new AppVerticle();
      Await.result(vertx.deployVerticle(app, new DeploymentOptions().setConfig(new JsonObject()
        .put("name", "app-" + i).put("port", 0).put("management", new JsonObject().put("port", 0))
        .put("nodeCheckIntervalMs", 200)
        .put("primary", new JsonObject().put("host", "127.0.0.1").put("port", pair.primaryPort()))
        .put("replicas", new JsonArray().add(new JsonObject().put("host", "127.0.0.1").put("port", pair.replicaPort())))
        .put("passwordFile", pair.secret("app").toString()))));
      appPorts.add(app.actualPort());
    }
    LoadBalancerVerticle lb = new LoadBalancerVerticle();
    Await.result(vertx.deployVerticle(lb, new DeploymentOptions().setConfig(new JsonObject().put("port", 0)
      .put("management", new JsonObject().put("port", 0))
      .put("backends", new JsonArray(appPorts.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.toList())))
      .mergeIn(Topology.NO_LIMITS.copy()))));
    Map<String, MySQLConnectOptions> nodes = new LinkedHashMap<>();
    nodes.put("primary", new MySQLConnectOptions().setHost("127.0.0.1").setPort(pair.primaryPort()));
    nodes.put("replica-1", new MySQLConnectOptions().setHost("127.0.0.1").setPort(pair.replicaPort()));
    manager = FailoverManager.create(vertx, nodes, new FailoverOptions(new JsonObject().put("enabled", true)
        .put("failAfterMs", FAIL_AFTER_MS).put("checkIntervalMs", 200).put("connectTimeoutMs", 500)),
      pair.password("failover"), pair.password("repl"), PlatformMetrics.registry());
    manager.start();
    client = WebClient.create(vertx, new WebClientOptions().setDefaultPort(lb.actualPort()));
  }

  @AfterEach
  void stop() {
    Await.result(manager.stop());
    Await.result(vertx.close());
    pair.destroy();
  }

  private HttpResponse<Buffer> write(int n) {
    return Await.result(client.post("/api/posts").sendJsonObject(new JsonObject()
      .put("author", "load").put("title", "write " + n).put("body", "acknowledged writes must survive")));
  }

  @Test
  void noAcknowledgedWriteIsLostAcrossAPrimaryKillAndWritesResume() {
    List<Long> acknowledged = new ArrayList<>();
    int n = 0;
    for (; n < 50; n++) {
      HttpResponse<Buffer> response = write(n);
      assertThat(response.statusCode()).isEqualTo(201);
      acknowledged.add(response.bodyAsJsonObject().getLong("id"));
    }

    // The manager promotes only after it saw the writer's commits acknowledged by the replica (semi-sync):
    // otherwise a replica might lack acknowledged writes, and the failover is held.
    await().atMost(Duration.ofSeconds(20)).until(() -> Boolean.TRUE.equals(manager.health().semiSyncActive()));
    pair.kill("primary");
    long killedAt = System.nanoTime();
    int refused = 0;
    long resumedAfterMs = -1;
    long slowestMs = 0;
    while (resumedAfterMs < 0 && System.nanoTime() - killedAt < Duration.ofSeconds(40).toNanos()) {
      long sent = System.nanoTime();
      HttpResponse<Buffer> response = write(n++);
      slowestMs = Math.max(slowestMs, (System.nanoTime() - sent) / 1_000_000);
      if (response.statusCode() == 201) {
        acknowledged.add(response.bodyAsJsonObject().getLong("id"));
        resumedAfterMs = (System.nanoTime() - killedAt) / 1_000_000;
      } else {
        assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(503);
        assertThat(response.getHeader("Retry-After")).isNotNull();
        refused++;
      }
    }
    assertThat(resumedAfterMs).as("writes resumed after the failover").isPositive();
    assertThat(refused).as("writes were refused fast while there was no writer").isPositive();
    assertThat(slowestMs).as("the slowest write while there was no writer").isLessThan(5000);
    for (int i = 0; i < 20; i++) {
      HttpResponse<Buffer> response = write(n++);
      assertThat(response.statusCode()).isEqualTo(201);
      acknowledged.add(response.bodyAsJsonObject().getLong("id"));
    }
    assertThat(manager.writerName()).isEqualTo("replica-1");

    String ids = acknowledged.stream().map(String::valueOf).collect(Collectors.joining(","));
    assertThat(pair.sql("replica", "SELECT COUNT(*) FROM foobar.posts WHERE id IN (" + ids + ")").strip())
      .isEqualTo(Integer.toString(acknowledged.size()));

    pair.start("primary");
    await().atMost(Duration.ofSeconds(20)).until(() -> pair.replicating("primary"));
    assertThat(pair.sql("primary", "SELECT @@read_only").strip()).isEqualTo("1");
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(pair.sql("primary",
      "SELECT COUNT(*) FROM foobar.posts WHERE id IN (" + ids + ")").strip())
      .isEqualTo(Integer.toString(acknowledged.size())));
    HttpResponse<Buffer> after = write(n);
    assertThat(after.statusCode()).isEqualTo(201);
  }
}
