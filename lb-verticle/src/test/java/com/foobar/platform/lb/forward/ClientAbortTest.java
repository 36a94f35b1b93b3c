package com.foobar.platform.lb.forward;

import com.foobar.platform.lb.BalancerTestBase;
import com.foobar.platform.lb.TestBackend;
import com.foobar.platform.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 16's outage: clients that close their connection while their request is at a backend (a tab closed, wrk
 * ending a run) were counted as backend errors, and a run of them took healthy backends out of service. They are
 * client aborts ({@link Termination}): logged and counted as such, never against the server.
 */
@ExtendWith(VertxExtension.class)
class ClientAbortTest extends BalancerTestBase {

  private TestBackend a;
  private TestBackend b;

  @BeforeEach
  void backends(Vertx vertx) {
    this.vertx = vertx;
    a = new TestBackend(vertx, "a");
    b = new TestBackend(vertx, "b");
  }

  @Test
  void clientsLeavingBeforeTheAnswerNeverEjectABackend() throws Exception {
    deploy(new JsonArray().add(a.address()).add(b.address()), new JsonObject().put("errorLimit", 3)
      .put("healthCheckIntervalMs", 600_000));
    for (int i = 0; i < 12; i++) {
      abortAfterSending("GET /slow?ms=400 HTTP/1.1\r\nHost: x\r\n\r\n", 60);
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> terminations("client", "client_aborted_before_answer") >= 12);
    assertThat(states().values()).containsOnly("UP");
    assertThat(get("/").statusCode()).isEqualTo(200);
  }

  @Test
  void clientsLeavingWhileTheBodyIsRelayedAreClientAbortsToo() throws Exception {
    deploy(new JsonArray().add(a.address()), new JsonObject().put("errorLimit", 2).put("healthCheckIntervalMs", 600_000));
    for (int i = 0; i < 6; i++) {
      abortAfterReading("GET /stream HTTP/1.1\r\nHost: x\r\n\r\n", 4096);
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> terminations("client", "client_aborted_while_relaying") >= 6);
    assertThat(states().values()).containsOnly("UP");
  }

  @Test
  void serverFailuresStillCountAndARetryAfter503DoesNot() {
    deploy(new JsonArray().add(a.address()).add(b.address()), new JsonObject().put("errorLimit", 2)
      .put("healthCheckIntervalMs", 600_000));
    for (int i = 0; i < 6; i++) {
      assertThat(get("/unavailable").statusCode()).isEqualTo(503);
    }
    assertThat(states().values()).containsOnly("UP");
    assertThat(terminations("server", "server_retry_after")).isGreaterThanOrEqualTo(6);
    for (int i = 0; i < 4; i++) {
      get("/reset");
    }
    assertThat(states().values()).contains("DOWN");
    assertThat(terminations("server", "server_closed")).isGreaterThanOrEqualTo(1);
  }

  private void abortAfterSending(String request, long waitMs) throws IOException, InterruptedException {
    try (Socket socket = new Socket("127.0.0.1", balancer.actualPort())) {
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      Thread.sleep(waitMs);
    }
  }

  private void abortAfterReading(String request, int bytes) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", balancer.actualPort())) {
      socket.setReceiveBufferSize(4096);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[bytes];
      int read = 0;
      while (read < bytes) {
        int n = in.read(buffer, read, bytes - read);
        if (n < 0) {
          break;
        }
        read += n;
      }
      socket.setSoLinger(true, 0); // a reset, as a browser tab closing mid-download may send
    }
  }

  private double terminations(String side, String reason) {
    String metrics = Await.result(admin.get("/metrics").send()).bodyAsString();
    Matcher matcher = Pattern.compile("foobar_lb_terminations_total\\{reason=\"" + reason + "\",side=\"" + side
      + "\"} ([0-9.E]+)").matcher(metrics);
    return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
  }
}
