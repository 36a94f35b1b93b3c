package com.foobar.platform.lb;

import com.foobar.platform.testing.Await;
import com.foobar.platform.testing.FreePorts;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The balancer against real HTTP backends on ephemeral ports. */
@ExtendWith(VertxExtension.class)
class LoadBalancerTest {

  private Vertx vertx;
  private TestBackend a;
  private TestBackend b;
  private LoadBalancerVerticle balancer;
  private WebClient client;
  private WebClient admin;

  static {
    System.setProperty(com.foobar.platform.common.ManagementToken.PROPERTY, BalancerTestBase.TOKEN);
  }

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    a = new TestBackend(vertx, "a");
    b = new TestBackend(vertx, "b");
    deploy(new JsonObject());
  }

  private void deploy(JsonObject extra) {
    JsonObject config = new JsonObject()
      .put("port", 0)
      .put("management", new JsonObject().put("port", 0))
      .put("backends", new JsonArray().add(a.address()).add(b.address()))
      .put("healthCheckIntervalMs", 100)
      .put("healthCheckTimeoutMs", 200)
      .put("backendTimeoutMs", 1000)
      .mergeIn(extra);
    balancer = new LoadBalancerVerticle();
    Await.result(vertx.deployVerticle(balancer, new DeploymentOptions().setConfig(config)));
    client = WebClient.create(vertx, new WebClientOptions().setDefaultPort(balancer.actualPort()));
    admin = BalancerTestBase.managementClient(vertx, balancer.managementPort());
  }

  @AfterEach
  void closeClients() {
    client.close();
    admin.close();
  }

  private HttpResponse<Buffer> get(String uri) {
    return Await.result(client.get(uri).send());
  }

  @Test
  void alternatesBetweenBackendsRoundRobin() {
    List<String> servedBy = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      servedBy.add(get("/").getHeader("X-Served-By"));
    }
    for (int i = 1; i < servedBy.size(); i++) {
      assertThat(servedBy.get(i)).as(servedBy.toString()).isNotEqualTo(servedBy.get(i - 1));
    }
    assertThat(a.requests.get()).isEqualTo(3);
    assertThat(b.requests.get()).isEqualTo(3);
  }

  @Test
  void forwardsMethodUriHeadersAndBodyAndSaysWhereTheRequestCameFrom() {
    HttpResponse<Buffer> response = Await.result(client.post("/api/things?x=1&y=two")
      .putHeader("Host", "www.foobar.com")
      .putHeader("X-Forwarded-For", "203.0.113.7")
      .putHeader("Connection", "keep-alive, X-Hop")
      .putHeader("X-Hop", "secret")
      .putHeader("X-Custom", "kept")
      .sendBuffer(Buffer.buffer("z".repeat(100_000))));
    JsonObject echo = response.bodyAsJsonObject();
    JsonObject headers = echo.getJsonObject("headers");
    assertThat(echo.getString("method")).isEqualTo("POST");
    assertThat(echo.getString("uri")).isEqualTo("/api/things?x=1&y=two");
    assertThat(echo.getInteger("bodyLength")).isEqualTo(100_000);
    assertThat(headers.getString("content-length")).isEqualTo("100000");
    assertThat(headers.getString("host")).isEqualTo("www.foobar.com");
    assertThat(headers.getString("x-forwarded-for")).isEqualTo("203.0.113.7, 127.0.0.1");
    assertThat(headers.getString("x-forwarded-proto")).isEqualTo("http");
    assertThat(headers.getString("x-forwarded-host")).isEqualTo("www.foobar.com");
    assertThat(headers.getString("x-custom")).isEqualTo("kept");
    assertThat(headers.containsKey("x-hop")).isFalse();
    // The backend's own Keep-Alive (hop-by-hop) is dropped; the balancer advertises its own idle timeout.
    assertThat(response.getHeader("Keep-Alive")).isEqualTo("timeout=" + LoadBalancerOptions.KEEP_ALIVE_TIMEOUT_SECONDS.defaultValue());
  }

  @Test
  void sendsBodilessRequestsWithoutChunking() {
    JsonObject headers = get("/plain").bodyAsJsonObject().getJsonObject("headers");
    assertThat(headers.containsKey("transfer-encoding")).isFalse();
    assertThat(headers.containsKey("content-length")).isFalse();
  }

  @Test
  void streamsLargeResponses() {
    assertThat(get("/large").bodyAsBuffer().length()).isEqualTo(256 * 4096);
  }

  @Test
  void retriesElsewhereWhenABackendRefusesConnections() {
    b.stop();
    for (int i = 0; i < 10; i++) {
      HttpResponse<Buffer> response = get("/");
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.getHeader("X-Served-By")).isEqualTo("a");
    }
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(backendStates()).containsExactly("UP", "DOWN"));
  }

  @Test
  void answers503WithRetryAfterWhenNoBackendIsUp() {
    a.stop();
    b.stop();
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(backendStates()).containsOnly("DOWN"));
    HttpResponse<Buffer> response = get("/");
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.getHeader("Retry-After")).isEqualTo("1");
    assertThat(response.bodyAsJsonObject().getString("error")).isEqualTo("no_backend");
    assertThat(Await.result(admin.get("/health/ready").send()).statusCode()).isEqualTo(503);
  }

  @Test
  void aBackendFailingItsHealthCheckGetsNoTrafficUntilItPassesAgain() {
    b.healthStatus = 503;
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(backendStates()).containsExactly("UP", "DOWN"));
    int before = b.requests.get();
    for (int i = 0; i < 6; i++) {
      assertThat(get("/").getHeader("X-Served-By")).isEqualTo("a");
    }
    assertThat(b.requests.get()).isEqualTo(before);
    b.healthStatus = 200;
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(backendStates()).containsOnly("UP"));
  }

  @Test
  void aCheckThatTimesOutCountsOnlyWhileTheBackendAnswersNoTraffic() {
    b.healthHangs = true;
    // Answering forwarded requests meanwhile, b is alive: its late checks are no evidence (a burst on the
    // balancer's own loops makes checks late), so it stays in service.
    long until = System.currentTimeMillis() + 2_000;
    while (System.currentTimeMillis() < until) {
      assertThat(get("/").statusCode()).isEqualTo(200);
      assertThat(backendStates()).containsOnly("UP");
    }
    // With no traffic to show it alive, its timed-out checks take it out, as a hung server's do.
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(backendStates()).containsExactly("UP", "DOWN"));
    b.healthHangs = false;
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(backendStates()).containsOnly("UP"));
  }

  @Test
  void answers504WhenBackendsNeverAnswer() {
    HttpResponse<Buffer> response = get("/hang");
    assertThat(response.statusCode()).isEqualTo(504);
    assertThat(response.bodyAsJsonObject().getString("error")).isEqualTo("gateway_timeout");
  }

  @Test
  void aBodyCutOffByTheBackendIsNeverRelayedAsComplete() {
    // Chunked encoding would let a cut body end with a well-formed last chunk: the client must see a failure.
    assertThatThrownBy(() -> get("/truncated")).hasMessageContaining("closed");
    assertThat(get("/").statusCode()).as("the balancer goes on serving").isEqualTo(200);
  }

  @Test
  void neverReplaysAPostWhoseBodyMayHaveReachedABackend() {
    HttpResponse<Buffer> response = Await.result(client.post("/reset").sendBuffer(Buffer.buffer("payload")));
    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(a.requests.get() + b.requests.get()).isEqualTo(1);
  }

  @Test
  void aGetCutOffBeforeItsResponseIsRetriedOnTheOtherBackend() {
    HttpResponse<Buffer> response = get("/reset");
    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(a.requests.get()).isEqualTo(1);
    assertThat(b.requests.get()).isEqualTo(1);
  }

  @Test
  void answers503WhenABackendIsNotListeningAtAll() {
    Await.result(vertx.undeploy(balancer.deploymentID()));
    closeClients();
    int dead = FreePorts.next();
    deploy(new JsonObject().put("backends", new JsonArray().add("127.0.0.1:" + dead)).put("retries", 0));
    HttpResponse<Buffer> response = get("/");
    assertThat(response.statusCode()).isIn(502, 503);
    assertThat(response.bodyAsJsonObject().getString("message")).isNotBlank();
  }

  @Test
  void adminListsBackendsWithStateAndCounters() {
    get("/");
    get("/");
    JsonArray backends = Await.result(admin.get("/admin/backends").send()).bodyAsJsonObject().getJsonArray("backends");
    assertThat(backends).hasSize(2);
    assertThat(backends.getJsonObject(0).getString("name")).isEqualTo(a.address());
    assertThat(backends.getJsonObject(0).getLong("requests")).isEqualTo(1);
    assertThat(Await.result(client.get("/admin/backends").send()).getHeader("X-Served-By")).isIn("a", "b");
    assertThat(Await.result(admin.get("/metrics").send()).bodyAsString()).contains("foobar_lb_backend_up{backend=\"");
  }

  private List<String> backendStates() {
    JsonArray backends = Await.result(admin.get("/admin/backends").send()).bodyAsJsonObject().getJsonArray("backends");
    List<String> states = new ArrayList<>();
    backends.forEach(backend -> states.add(((JsonObject) backend).getString("state")));
    return states;
  }
}
