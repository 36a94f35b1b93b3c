package com.foobar.platform.system;

import com.foobar.platform.testing.TempDirs;
import com.foobar.platform.common.ManagementToken;
import com.foobar.platform.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The balancer as a real process under the everyday events of issue 16: clients leaving mid-request in waves,
 * a restart of the balancer itself (a new process takes over), a configuration reload, an admin drain across a
 * restart. Backends are real HTTP servers in this JVM that answer after a short delay, so requests are in flight
 * whenever something happens.
 */
class BalancerAvailabilityTest {

  private final Vertx vertx = Vertx.vertx();
  private final List<HttpServer> backends = new ArrayList<>();
  private final List<TierProcess> processes = new ArrayList<>();
  private final BalancerProcess lb = new BalancerProcess();
  private Path stateDir;

  @BeforeEach
  void backends() throws IOException {
    stateDir = TempDirs.create("foobar-lb-availability-");
    for (String name : List.of("a", "b", "c")) {
      backends.add(Await.result(vertx.createHttpServer().requestHandler(request -> {
        if (request.path().equals("/healthz")) {
          request.response().end("ok");
          return;
        }
        request.body().onSuccess(body -> vertx.setTimer(20, id -> request.response().putHeader("X-Served-By", name)
          .putHeader("Content-Type", "application/json").end("{\"served\":\"" + name + "\"}")));
      }).listen(0, "127.0.0.1")));
    }
  }

  @AfterEach
  void cleanUp() {
    processes.forEach(TierProcess::close);
    Await.result(vertx.close());
    TempDirs.delete(stateDir);
  }

  private String backend(int index) {
    return "127.0.0.1:" + backends.get(index).actualPort();
  }

  private TierProcess startLb(List<String> servers, JsonObject extras) {
    TierProcess process = lb.start("lb", lb.config(servers, extras));
    processes.add(process);
    return process;
  }

  @Test
  void wavesOfClientsLeavingMidRequestNeverTakeABackendOutAndTheNextWaveSeesNoError() throws Exception {
    TierProcess balancer = startLb(List.of(backend(0), backend(1)), new JsonObject());
    for (int wave = 0; wave < 10; wave++) {
      try (LoadClient load = new LoadClient(lb.port, 16, "/api/posts?limit=5", false)) {
        cutConnectionsMidRequest(64);
        Thread.sleep(300);
        load.stop();
        assertThat(load.failures).as("wave " + wave).isEmpty();
        assertThat(load.ok.get()).isPositive();
      }
      for (int i = 0; i < 2; i++) {
        assertThat(lb.backend(backend(i)).getString("state")).as("wave " + wave + ", " + backend(i)).isEqualTo("UP");
      }
    }
    assertThat(balancer.logText()).doesNotContain("is DOWN");
    String metrics = lb.admin("GET", "/metrics", null).body();
    assertThat(metrics).containsPattern("foobar_lb_terminations_total\\{reason=\"client_aborted_before_answer\",side=\"client\"} [1-9]");
  }

  /** 64 connections that each send a request and close before its 20 ms answer. */
  private void cutConnectionsMidRequest(int count) throws IOException, InterruptedException {
    List<Socket> sockets = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Socket socket = new Socket("127.0.0.1", lb.port);
      socket.getOutputStream().write("GET /api/posts?limit=5 HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      sockets.add(socket);
    }
    Thread.sleep(5);
    for (Socket socket : sockets) {
      socket.close();
    }
  }

  @Test
  void aNewBalancerTakesOverFromTheOldOneWithoutAFailedRequest() throws Exception {
    TierProcess first = startLb(List.of(backend(0), backend(1)), new JsonObject());
    try (LoadClient load = new LoadClient(lb.port, 64, "/api/posts?limit=5", false)) {
      Thread.sleep(1000);
      TierProcess second = lb.restart(first, "lb-2");
      processes.add(second);
      Thread.sleep(1000);
      TierProcess third = lb.restart(second, "lb-3");
      processes.add(third);
      Thread.sleep(3000); // past the advertised keep-alive timeout: the drained processes closed their idle connections
      load.stop();
      assertThat(load.failures).isEmpty();
      assertThat(load.ok.get()).isGreaterThan(100);
      assertThat(first.alive()).isFalse();
      assertThat(second.alive()).isFalse();
      assertThat(lb.answersAs(third.pid())).isTrue();
    }
  }

  @Test
  void anAdminDrainSurvivesARestartAndTheAuditLineNamesTheToken() {
    Path state = stateDir.resolve("server-state.json");
    TierProcess first = startLb(List.of(backend(0), backend(1)), new JsonObject().put("serverStateFile", state.toString()));
    assertThat(lb.admin("PUT", "/admin/backends/" + backend(0), "{\"state\":\"drain\"}").statusCode()).isEqualTo(200);
    TierProcess second = lb.restart(first, "lb-2");
    processes.add(second);
    assertThat(lb.backend(backend(0)).getString("state")).isEqualTo("DRAIN");
    assertThat(lb.backend(backend(1)).getString("state")).isEqualTo("UP");
    assertThat(first.logText()).contains("token=" + ManagementToken.id(BalancerProcess.TOKEN) + " from=127.0.0.1 set backend "
      + backend(0) + ": state DRAIN").doesNotContain(BalancerProcess.TOKEN);
  }

  @Test
  void aBrokenReloadKeepsTheOldConfigurationAndAGoodOneAppliesBackendChanges() throws Exception {
    TierProcess balancer = startLb(List.of(backend(0)), new JsonObject());
    JsonObject good = new JsonObject(Files.readString(balancer.conf));

    Files.writeString(balancer.conf, "{\"port\": " + lb.port + ", \"backends\": [\"nonsense\"]");
    HttpResponse<String> broken = lb.admin("POST", "/admin/reload", null);
    assertThat(broken.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(broken.body()).getString("message")).contains("not valid JSON");
    Files.writeString(balancer.conf, good.copy().put("retries", 99).encode());
    HttpResponse<String> invalid = lb.admin("POST", "/admin/reload", null);
    assertThat(invalid.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(invalid.body()).getString("message")).contains("retries");
    assertThat(served()).containsOnly("a");

    Files.writeString(balancer.conf, good.copy().put("backends", new io.vertx.core.json.JsonArray().add(backend(0))
      .add(backend(1))).put("maxHeaderSize", 4096).encode());
    HttpResponse<String> applied = lb.admin("POST", "/admin/reload", null);
    assertThat(applied.statusCode()).isEqualTo(200);
    JsonObject result = new JsonObject(applied.body());
    assertThat(result.getJsonObject("backends").getJsonArray("added")).containsExactly(backend(1));
    assertThat(result.getJsonArray("needsRestart")).containsExactly("maxHeaderSize");
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(served()).contains("a", "b"));

    Files.writeString(balancer.conf, good.copy().put("backends", new io.vertx.core.json.JsonArray().add(backend(2))).encode());
    balancer.signal("HUP");
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(served()).containsOnly("c"));
    assertThat(balancer.logText()).contains("signal=SIGHUP reloaded").contains("reload of " + balancer.conf + " refused");
  }

  private List<String> served() throws Exception {
    List<String> names = new ArrayList<>();
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    for (int i = 0; i < 6; i++) {
      HttpResponse<String> response = http.send(java.net.http.HttpRequest.newBuilder(
        java.net.URI.create("http://127.0.0.1:" + lb.port + "/x")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      names.add(response.headers().firstValue("X-Served-By").orElse("?"));
    }
    return names;
  }
}
