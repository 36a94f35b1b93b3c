package com.foobar.platform.lb.balance;

import com.foobar.platform.lb.LoadBalancerVerticle;
import com.foobar.platform.lb.BalancerTestBase;
import com.foobar.platform.lb.TestBackend;
import com.foobar.platform.testing.Await;
import com.foobar.platform.testing.FreePorts;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Weights, algorithms, health and passive checks, and the admin API, against real backends. */
@ExtendWith(VertxExtension.class)
class BalancingTest extends BalancerTestBase {

  private TestBackend a;
  private TestBackend b;

  @BeforeEach
  void backends(Vertx vertx) {
    this.vertx = vertx;
    a = new TestBackend(vertx, "a");
    b = new TestBackend(vertx, "b");
  }

  private JsonArray weighted(int weightA) {
    return new JsonArray().add(new JsonObject().put("address", a.address()).put("weight", weightA)).add(b.address());
  }

  @Test
  void smoothWeightedRoundRobinFollowsWeightsAndInterleaves() {
    deploy(weighted(3), new JsonObject());
    List<String> servedBy = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      servedBy.add(get("/").getHeader("X-Served-By"));
    }
    assertThat(a.requests.get()).isEqualTo(9);
    assertThat(b.requests.get()).isEqualTo(3);
    // Smooth: b's turns are spread out, never two a-runs longer than the weight.
    assertThat(String.join("", servedBy)).doesNotContain("aaaa").doesNotContain("bb");
  }

  @Test
  void leastConnectionsSendsNewRequestsToTheIdleBackend() {
    deploy(new JsonArray().add(a.address()).add(b.address()), new JsonObject().put("balance", "leastconn"));
    Future<HttpResponse<Buffer>> slow = client.get("/slow?ms=1500").send();
    await().atMost(Duration.ofSeconds(5)).until(() -> a.requests.get() + b.requests.get() == 1);
    String busy = a.requests.get() == 1 ? "a" : "b";
    for (int i = 0; i < 4; i++) {
      assertThat(get("/").getHeader("X-Served-By")).isNotEqualTo(busy);
    }
    assertThat(Await.result(slow).statusCode()).isEqualTo(200);
  }

  @Test
  void aStoppedBackendGoesDownWithinTheCheckWindowAndComesBackAfterRise() {
    deploy(new JsonArray().add(a.address()).add(b.address()), new JsonObject().put("slowStartMs", 2000));
    b.stop();
    await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(states()).containsValues("UP", "DOWN"));
    b.start();
    await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> assertThat(states().values()).containsOnly("UP"));
    JsonObject back = adminJson("/admin/backends/" + b.address());
    assertThat(back.getDouble("effectiveWeight")).as("slow start ramps the weight").isLessThan(1.0);
    await().atMost(Duration.ofSeconds(5)).until(() -> {
      get("/");
      return b.requests.get() > 0;
    });
  }

  @Test
  void healthChecksUseTheConfiguredMethodHostAndExpectedStatus() {
    deploy(new JsonArray().add(a.address()).add(b.address()), new JsonObject().put("healthCheckMethod", "HEAD")
      .put("healthCheckHost", "www.foobar.com").put("healthCheckExpectedStatus", 204));
    // The backends answer 200, not the expected 204: both fail their checks.
    await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> assertThat(states().values()).containsOnly("DOWN"));
    assertThat(a.lastCheckMethod).isEqualTo("HEAD");
    assertThat(a.lastCheckHost).isEqualTo("www.foobar.com");
    a.healthStatus = 204;
    await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> assertThat(states().get(a.address())).isEqualTo("UP"));
    JsonObject check = adminJson("/admin/backends/" + a.address()).getJsonObject("lastCheck");
    assertThat(check.getInteger("status")).isEqualTo(204);
    assertThat(check.getBoolean("passed")).isTrue();
  }

  @Test
  void aRunOf5xxMarksABackendDownBeforeTheNextActiveCheckButNeverTheLastOne() {
    deploy(new JsonArray().add(a.address()).add(b.address()), new JsonObject()
      .put("errorLimit", 3).put("healthCheckIntervalMs", 600_000));
    for (int i = 0; i < 10; i++) {
      assertThat(get("/fail").statusCode()).isEqualTo(500);
    }
    assertThat(states()).containsEntry(a.address(), "DOWN").containsEntry(b.address(), "UP");
    assertThat(adminJson("/admin/backends/" + a.address()).getString("lastError")).contains("3 errors in a row");
    // b had its run of errors too, but it is the last backend taking traffic: passive evidence alone keeps it.
    assertThat(adminJson("/admin/backends/" + b.address()).getString("lastError")).contains("errors in a row");
    assertThat(get("/").statusCode()).isEqualTo(200);
  }

  @Test
  void adminDrainStopsNewRequestsWhileInFlightOnesFinish() {
    deploy(new JsonArray().add(a.address()).add(b.address()), new JsonObject());
    Future<HttpResponse<Buffer>> inFlight = client.get("/slow?ms=1000").send();
    await().atMost(Duration.ofSeconds(5)).until(() -> a.requests.get() == 1);
    HttpResponse<Buffer> drained = put(a.address(), new JsonObject().put("state", "drain"));
    assertThat(drained.statusCode()).isEqualTo(200);
    assertThat(drained.bodyAsJsonObject().getString("state")).isEqualTo("DRAIN");
    for (int i = 0; i < 4; i++) {
      assertThat(get("/").getHeader("X-Served-By")).isEqualTo("b");
    }
    HttpResponse<Buffer> finished = Await.result(inFlight);
    assertThat(finished.statusCode()).isEqualTo(200);
    assertThat(finished.getHeader("X-Served-By")).isEqualTo("a");
    assertThat(put(a.address(), new JsonObject().put("state", "maint")).bodyAsJsonObject().getString("state"))
      .isEqualTo("MAINT");
    assertThat(put(a.address(), new JsonObject().put("state", "ready")).bodyAsJsonObject().getString("state"))
      .isEqualTo("UP");
    List<String> servedBy = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      servedBy.add(get("/").getHeader("X-Served-By"));
    }
    assertThat(servedBy).contains("a", "b");
  }

  @Test
  void adminAddsAndRemovesBackendsAndRejectsBadInputWithJson() {
    deploy(new JsonArray().add(a.address()), new JsonObject());
    HttpResponse<Buffer> added = Await.result(admin.post("/admin/backends")
      .sendJsonObject(new JsonObject().put("address", b.address()).put("weight", 2)));
    assertThat(added.statusCode()).isEqualTo(201);
    assertThat(added.bodyAsJsonObject().getInteger("weight")).isEqualTo(2);
    await().atMost(Duration.ofSeconds(5)).until(() -> {
      get("/");
      return b.requests.get() > 0;
    });
    assertThat(Await.result(admin.post("/admin/backends").sendJsonObject(new JsonObject().put("address", b.address())))
      .statusCode()).isEqualTo(409);
    HttpResponse<Buffer> bad = Await.result(admin.post("/admin/backends")
      .sendJsonObject(new JsonObject().put("address", "nohost")));
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.bodyAsJsonObject().getString("field")).isEqualTo("address");
    assertThat(Await.result(admin.post("/admin/backends").sendBuffer(Buffer.buffer("{nope"))).statusCode()).isEqualTo(400);
    HttpResponse<Buffer> badState = put(b.address(), new JsonObject().put("state", "asleep"));
    assertThat(badState.statusCode()).isEqualTo(400);
    assertThat(badState.bodyAsJsonObject().getString("message")).contains("ready, drain, maint");
    assertThat(put("127.0.0.1:1", new JsonObject().put("state", "drain")).statusCode()).isEqualTo(404);
    assertThat(Await.result(admin.delete("/admin/backends/" + b.address()).send()).statusCode()).isEqualTo(200);
    int before = b.requests.get();
    for (int i = 0; i < 4; i++) {
      assertThat(get("/").getHeader("X-Served-By")).isEqualTo("a");
    }
    assertThat(b.requests.get()).isEqualTo(before);
    assertThat(Await.result(admin.get("/metrics").send()).bodyAsString())
      .contains("foobar_lb_backend_state{backend=\"" + a.address() + "\",state=\"UP\"} 1.0")
      .doesNotContain("backend=\"" + b.address() + "\"");
  }

  @Test
  void instancesOfOneDeploymentShareBackendState() {
    int port = FreePorts.next();
    int managementPort = FreePorts.next();
    JsonObject config = new JsonObject().put("port", port)
      .put("management", new JsonObject().put("port", managementPort))
      .put("backends", new JsonArray().add(a.address()).add(b.address()));
    Await.result(vertx.deployVerticle(LoadBalancerVerticle.class.getName(),
      new DeploymentOptions().setConfig(config).setInstances(3)));
    client = WebClient.create(vertx, new WebClientOptions().setDefaultPort(port).setKeepAlive(false));
    admin = managementClient(vertx, managementPort);
    assertThat(put(b.address(), new JsonObject().put("state", "maint")).statusCode()).isEqualTo(200);
    int before = b.requests.get();
    for (int i = 0; i < 9; i++) {
      assertThat(get("/").getHeader("X-Served-By")).isEqualTo("a");
    }
    assertThat(b.requests.get()).isEqualTo(before);
    assertThat(adminJson("/admin/backends/" + a.address()).getLong("requests")).isEqualTo(9);
  }
}
