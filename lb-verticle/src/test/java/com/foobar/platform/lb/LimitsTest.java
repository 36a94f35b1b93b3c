package com.foobar.platform.lb;

import com.foobar.platform.testing.Await;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Limits, timeouts, request ids, WebSocket tunnels and graceful shutdown, against a real backend. */
@ExtendWith(VertxExtension.class)
class LimitsTest extends BalancerTestBase {

  private TestBackend a;

  @BeforeEach
  void backend(Vertx vertx) {
    this.vertx = vertx;
    a = new TestBackend(vertx, "a");
  }

  private void deploy(JsonObject extra) {
    deploy(new JsonArray().add(a.address()), extra);
  }

  @Test
  void aFullQueueGets503WithRetryAfter() {
    deploy(new JsonObject().put("maxConnectionsPerBackend", 1).put("maxQueuePerBackend", 1));
    Future<HttpResponse<Buffer>> first = client.get("/slow?ms=1500").send();
    await().atMost(Duration.ofSeconds(5)).until(() -> a.requests.get() == 1);
    Future<HttpResponse<Buffer>> queued = client.get("/").send();
    await().atMost(Duration.ofSeconds(5)).until(() -> adminJson("/admin/backends/" + a.address()).getInteger("queued") == 1);
    HttpResponse<Buffer> rejected = get("/");
    assertThat(rejected.statusCode()).isEqualTo(503);
    assertThat(rejected.getHeader("Retry-After")).isEqualTo("1");
    assertThat(rejected.bodyAsJsonObject().getString("error")).isEqualTo("queue_full");
    assertThat(Await.result(first).statusCode()).isEqualTo(200);
    assertThat(Await.result(queued).statusCode()).as("the queued request gets the freed slot").isEqualTo(200);
  }

  @Test
  void aRequestWaitingLongerThanTheQueueTimeoutGets503() {
    deploy(new JsonObject().put("maxConnectionsPerBackend", 1).put("queueTimeoutMs", 200));
    Future<HttpResponse<Buffer>> first = client.get("/slow?ms=1500").send();
    await().atMost(Duration.ofSeconds(5)).until(() -> a.requests.get() == 1);
    HttpResponse<Buffer> timedOut = get("/");
    assertThat(timedOut.statusCode()).isEqualTo(503);
    assertThat(timedOut.bodyAsJsonObject().getString("error")).isEqualTo("queue_timeout");
    assertThat(Await.result(first).statusCode()).isEqualTo(200);
  }

  @Test
  void aClientTricklingItsHeadersGets408() throws Exception {
    deploy(new JsonObject().put("requestHeaderTimeoutMs", 500));
    String response;
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), balancer.actualPort())) {
      socket.setSoTimeout(10_000);
      // The reader runs alongside the writer so the 408 is read even if a later write meets a closed socket.
      CompletableFuture<String> read = CompletableFuture.supplyAsync(() -> readWhatArrives(socket));
      OutputStream out = socket.getOutputStream();
      try {
        out.write("GET / HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
        // One header byte every 100 ms keeps an idle timeout happy, never completes the head.
        for (int i = 0; i < 15 && !read.isDone(); i++) {
          out.write('X');
          out.flush();
          Thread.sleep(100);
        }
      } catch (java.io.IOException closedByBalancer) {
        // expected once the balancer gave up on this client
      }
      response = read.get(15, TimeUnit.SECONDS);
    }
    assertThat(response).startsWith("HTTP/1.1 408").contains("request_timeout");
    assertThat(a.requests.get()).isZero();
  }

  private static String readWhatArrives(Socket socket) {
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

  @Test
  void aKeptAliveConnectionStillWorksAfterAQuickRequest() {
    deploy(new JsonObject().put("requestHeaderTimeoutMs", 300));
    assertThat(get("/").statusCode()).isEqualTo(200);
    assertThat(get("/").statusCode()).isEqualTo(200);
  }

  @Test
  void oversizedHeadersUriAndBodiesAreRefused() {
    deploy(new JsonObject().put("maxHeaderSize", 1024).put("maxUriLength", 512).put("maxBodySize", 1000));
    HttpResponse<Buffer> header = Await.result(client.get("/").putHeader("X-Big", "h".repeat(2000)).send());
    assertThat(header.statusCode()).isEqualTo(431);
    assertThat(header.bodyAsJsonObject().getString("error")).isEqualTo("headers_too_large");
    HttpResponse<Buffer> uri = get("/" + "u".repeat(600));
    assertThat(uri.statusCode()).isEqualTo(414);
    HttpResponse<Buffer> declared = Await.result(client.post("/").sendBuffer(Buffer.buffer("b".repeat(1001))));
    assertThat(declared.statusCode()).isEqualTo(413);
    assertThat(Await.result(client.post("/").sendBuffer(Buffer.buffer("b".repeat(1000)))).statusCode()).isEqualTo(200);
    assertThat(a.requests.get()).as("nothing too large reached the backend").isEqualTo(1);
  }

  @Test
  void aChunkedBodyIsCountedWhileItStreams() throws Exception {
    deploy(new JsonObject().put("maxBodySize", 10_000));
    // A plain socket, as a browser or curl would: the client must read the 413 even though it is still sending
    // its body when the balancer answers (the balancer reads and drops the rest before it closes).
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), balancer.actualPort())) {
      socket.setSoTimeout(10_000);
      CompletableFuture<String> read = CompletableFuture.supplyAsync(() -> readWhatArrives(socket));
      OutputStream out = socket.getOutputStream();
      try {
        out.write("POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < 20; i++) {
          out.write(("3e8\r\n" + "c".repeat(1000) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
      } catch (java.io.IOException closedByBalancer) {
        // tolerated: what matters is the answer that was read
      }
      assertThat(read.get(10, TimeUnit.SECONDS)).startsWith("HTTP/1.1 413").contains("payload_too_large");
    }
    assertThat(a.requests.get()).as("the backend saw the start of the upload at most").isLessThanOrEqualTo(1);
  }

  @Test
  void requestIdsAreGeneratedOrPassedThroughBothWays() {
    deploy(new JsonObject());
    HttpResponse<Buffer> generated = get("/");
    String id = generated.getHeader("X-Request-Id");
    assertThat(id).hasSize(36);
    assertThat(generated.bodyAsJsonObject().getJsonObject("headers").getString("x-request-id")).isEqualTo(id);
    HttpResponse<Buffer> given = Await.result(client.get("/").putHeader("X-Request-Id", "abc-123").send());
    assertThat(given.getHeader("X-Request-Id")).isEqualTo("abc-123");
    assertThat(given.bodyAsJsonObject().getJsonObject("headers").getString("x-request-id")).isEqualTo("abc-123");
  }

  @Test
  void aWebSocketEchoesThroughTheBalancerAndSurvivesIdlingWithinTheTunnelTimeout() throws Exception {
    deploy(new JsonObject().put("tunnelTimeoutMs", 1500).put("requestHeaderTimeoutMs", 300));
    WebSocketClient wsClient = vertx.createWebSocketClient();
    WebSocket ws = Await.result(wsClient.connect(balancer.actualPort(), "127.0.0.1", "/ws"));
    assertThat(echo(ws, "hello")).isEqualTo("hello");
    Thread.sleep(800); // idle longer than the head timeout, shorter than the tunnel timeout
    assertThat(echo(ws, "still there")).isEqualTo("still there");
    CompletableFuture<Void> closed = new CompletableFuture<>();
    ws.closeHandler(v -> closed.complete(null));
    closed.get(10, TimeUnit.SECONDS); // idle past the tunnel timeout: the balancer closes the tunnel
    wsClient.close();
  }

  private static String echo(WebSocket ws, String text) throws Exception {
    CompletableFuture<String> received = new CompletableFuture<>();
    ws.textMessageHandler(received::complete);
    ws.writeTextMessage(text);
    return received.get(10, TimeUnit.SECONDS);
  }

  @Test
  void shutdownStopsAcceptingAndFinishesInFlightRequests() {
    deploy(new JsonObject().put("shutdownTimeoutMs", 5000));
    int port = balancer.actualPort();
    Future<HttpResponse<Buffer>> inFlight = client.get("/slow?ms=1000").send();
    await().atMost(Duration.ofSeconds(5)).until(() -> a.requests.get() == 1);
    Future<String> undeployed = vertx.undeploy(balancer.deploymentID()).map("undeployed");
    HttpResponse<Buffer> finished = Await.result(inFlight);
    assertThat(finished.statusCode()).isEqualTo(200);
    assertThat(finished.bodyAsString()).isEqualTo("slow");
    Await.result(undeployed);
    HttpClient fresh = vertx.createHttpClient();
    boolean refused = Await.result(fresh.request(HttpMethod.GET, port, "127.0.0.1", "/")
      .compose(request -> request.send()).map(response -> false).otherwise(failure -> true));
    fresh.close();
    assertThat(refused).isTrue();
  }
}
