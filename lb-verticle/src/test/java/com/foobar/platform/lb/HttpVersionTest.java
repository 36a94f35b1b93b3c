package com.foobar.platform.lb;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A request line in an HTTP version the balancer does not speak gets an HTTP/1.1 505 with a JSON body and a
 * closed connection (Vert.x alone answers {@code HTTP/9.9 501}); HTTP/1.0 and 1.1 still reach the backend.
 */
@ExtendWith(VertxExtension.class)
class HttpVersionTest extends BalancerTestBase {

  /** The whole answer, parsed strictly: status line, headers, a body of exactly Content-Length bytes, then EOF. */
  private static final Pattern ANSWER = Pattern.compile(
    "(HTTP/1\\.[01]) ([1-5][0-9][0-9]) ([^\r\n]*)\r\n((?:[A-Za-z0-9-]+: [^\r\n]*\r\n)*)\r\n(.*)", Pattern.DOTALL);

  private TestBackend backend;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    backend = new TestBackend(vertx, "a");
    deploy(new JsonArray().add(backend.address()), new JsonObject());
  }

  @Test
  void anUnknownVersionGets505FromAnHttp11StatusLineWithJsonAndAClose() throws Exception {
    for (String version : new String[] {"HTTP/9.9", "HTTP/2.0", "HTTP/1.2"}) {
      Matcher answer = exchange("GET / " + version + "\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(answer.group(1) + " " + answer.group(2) + " " + answer.group(3)).as(version)
        .isEqualTo("HTTP/1.1 505 HTTP Version Not Supported");
      assertThat(answer.group(4)).as(version).containsIgnoringCase("content-type: application/json")
        .containsIgnoringCase("connection: close");
      JsonObject body = new JsonObject(answer.group(5));
      assertThat(body.getString("error")).isEqualTo("http_version_not_supported");
      assertThat(body.getString("message")).contains(version);
    }
    assertThat(backend.requests.get()).as("neither the bad request nor the one pipelined after it").isZero();
    assertThat(metrics()).contains("foobar_lb_rejected_requests_total{reason=\"http_version\"} 3.0");
  }

  @Test
  void http10And11StillReachTheBackend() throws Exception {
    Matcher old = exchange("GET / HTTP/1.0\r\nHost: x\r\n\r\n");
    assertThat(old.group(2)).isEqualTo("200");
    Matcher current = exchange("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assertThat(current.group(1) + " " + current.group(2)).isEqualTo("HTTP/1.1 200");
    assertThat(backend.requests.get()).isEqualTo(2);
  }

  /** Sends {@code request} on a raw socket and reads until the balancer closes (a keep-alive never ends the read). */
  private Matcher exchange(String request) throws Exception {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), balancer.actualPort())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      ByteArrayOutputStream received = new ByteArrayOutputStream();
      InputStream in = socket.getInputStream();
      byte[] chunk = new byte[4096];
      for (int n = in.read(chunk); n > 0; n = in.read(chunk)) {
        received.write(chunk, 0, n);
      }
      String text = received.toString(StandardCharsets.UTF_8);
      Matcher answer = ANSWER.matcher(text);
      assertThat(answer.matches()).as("one well-formed answer, then a close: %s", text).isTrue();
      Matcher length = Pattern.compile("(?i)content-length: (\\d+)\r\n").matcher(answer.group(4));
      assertThat(length.find()).as(text).isTrue();
      assertThat(answer.group(5).getBytes(StandardCharsets.UTF_8)).hasSize(Integer.parseInt(length.group(1)));
      return answer;
    }
  }

  private String metrics() {
    return admin.get("/metrics").send().toCompletionStage().toCompletableFuture().join().bodyAsString();
  }
}
