package com.foobar.platform.lb;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The request-head timeout with one timer per event loop ({@code edge.ClientGuard}): connections are looked at in
 * the order they started waiting, and a busy connection ahead of a waiting one must neither get a 408 itself nor
 * hold back the waiting one's.
 */
@ExtendWith(VertxExtension.class)
class HeadTimeoutTest extends BalancerTestBase {

  @Test
  void aSilentConnectionBehindABusyOneGetsIts408OnTime(Vertx vertx) throws Exception {
    this.vertx = vertx;
    TestBackend backend = new TestBackend(vertx, "a");
    deploy(new JsonArray().add(backend.address()),
      new JsonObject().put("requestHeaderTimeoutMs", 400).put("backendTimeoutMs", 5000));
    try (Socket busy = new Socket(InetAddress.getLoopbackAddress(), balancer.actualPort())) {
      busy.setSoTimeout(10_000);
      send(busy, "GET /hang HTTP/1.1\r\nHost: x\r\n\r\n"); // in flight until the backend timeout (5 s): a 504
      CompletableFuture<String> busyAnswer = CompletableFuture.supplyAsync(() -> readAll(busy));
      // The busy connection's request started before the silent one opened: its watch is ahead in the order.
      await().atMost(Duration.ofSeconds(5)).until(() -> backend.requests.get() == 1);
      Socket silent = new Socket(InetAddress.getLoopbackAddress(), balancer.actualPort());
      silent.setSoTimeout(10_000);
      send(silent, "GET / HTTP/1.1\r\nHost: x\r\n"); // a head never finished
      long start = System.nanoTime();
      String silentAnswer = CompletableFuture.supplyAsync(() -> readAll(silent)).get(10, TimeUnit.SECONDS);
      long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertThat(silentAnswer).startsWith("HTTP/1.1 408");
      assertThat(waitedMs).as("ms until the silent connection's 408").isBetween(300L, 2500L);
      assertThat(busyAnswer).as("the busy connection, still waiting for its backend").isNotDone();
      assertThat(busyAnswer.get(10, TimeUnit.SECONDS)).startsWith("HTTP/1.1 504");
      silent.close();
    }
  }

  private static void send(Socket socket, String text) throws Exception {
    OutputStream out = socket.getOutputStream();
    out.write(text.getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  /** What arrives until the balancer closes the connection. */
  private static String readAll(Socket socket) {
    StringBuilder text = new StringBuilder();
    try {
      InputStream in = socket.getInputStream();
      byte[] chunk = new byte[1024];
      for (int n = in.read(chunk); n > 0; n = in.read(chunk)) {
        text.append(new String(chunk, 0, n, StandardCharsets.US_ASCII));
      }
    } catch (java.io.IOException e) {
      text.append("\n(read ended: ").append(e).append(')');
    }
    return text.toString();
  }
}
