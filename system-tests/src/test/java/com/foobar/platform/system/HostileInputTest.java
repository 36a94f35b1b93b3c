package com.foobar.platform.system;

import com.foobar.platform.testing.Await;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Hostile and broken input sent through the balancer of a running topology (balancer, two apps, monitor, the real
 * MariaDB pair): every request gets a 4xx with a JSON body (or a closed connection), no rejected request writes a
 * row, no tier dies, and normal traffic alongside keeps working, slowloris included.
 */
class HostileInputTest {

  private static final Logger LOG = LoggerFactory.getLogger(HostileInputTest.class);
  private static Topology topology;
  private static WebClient client;

  @BeforeAll
  static void start() {
    topology = new Topology();
    client = WebClient.create(topology.edge, new WebClientOptions().setDefaultHost("127.0.0.1")
      .setDefaultPort(topology.balancer.actualPort()));
  }

  @AfterAll
  static void stop() {
    client.close();
    topology.close();
  }

  private static long rows() {
    return Long.parseLong(topology.pair.sql("primary", "SELECT COUNT(*) FROM foobar.posts").trim());
  }

  /** What a raw exchange brought back: nothing when the connection was closed without an answer. */
  private static Raw raw(byte[] request) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", topology.balancer.actualPort())) {
      socket.setSoTimeout(15_000);
      OutputStream out = socket.getOutputStream();
      try {
        out.write(request);
        out.flush();
      } catch (java.io.IOException closedEarly) {
        // the balancer may answer and close before it read everything we send
      }
      ByteArrayOutputStream response = new ByteArrayOutputStream();
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[8192];
      try {
        int n;
        while ((n = in.read(buffer)) > 0) {
          response.write(buffer, 0, n);
          if (complete(response.toString(StandardCharsets.ISO_8859_1))) {
            break;
          }
        }
      } catch (java.net.SocketException reset) {
        // a reset after the answer is a closed connection too
      }
      return new Raw(response.toString(StandardCharsets.ISO_8859_1));
    }
  }

  private static boolean complete(String text) {
    int head = text.indexOf("\r\n\r\n");
    if (head < 0) {
      return false;
    }
    java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(text);
    return length.find() && text.length() - head - 4 >= Integer.parseInt(length.group(1));
  }

  /**
   * What came back on a raw connection, parsed strictly: nothing at all (closed), or an answer that must start with
   * a well-formed HTTP/1.x status line (a request line too broken to name a version is answered in HTTP/1.0, as
   * Netty's decoder marks such a request). Anything else (garbage, a cut line, another version) is no refusal.
   */
  record Raw(String text) {
    private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.[01] ([1-5][0-9][0-9]) [^\r\n]*\r\n");

    boolean closed() {
      return text.isEmpty();
    }

    /** The status of a well-formed HTTP/1.x status line, or -1 when the answer does not start with one. */
    int status() {
      Matcher line = STATUS_LINE.matcher(text);
      return line.lookingAt() ? Integer.parseInt(line.group(1)) : -1;
    }

    String body() {
      int head = text.indexOf("\r\n\r\n");
      return head < 0 ? "" : text.substring(head + 4);
    }

    /** A clear refusal: the connection closed without a byte, or a 4xx with a JSON error body. */
    boolean refusal() {
      return closed() || (status() >= 400 && status() < 500 && body().startsWith("{\"error\""));
    }

    String describe() {
      if (closed()) {
        return "closed";
      }
      String start = text.substring(0, Math.min(60, text.length())).replace("\r\n", "\\r\\n");
      return status() < 0 ? "malformed answer " + start : status() + " " + body();
    }
  }

  @Test
  void onlyAClosedConnectionOrAJson4xxCountsAsARefusal() {
    String json = "{\"error\":\"bad_request\",\"message\":\"x\"}";
    assertThat(new Raw("").refusal()).isTrue();
    assertThat(new Raw("HTTP/1.1 400 Bad Request\r\nContent-Length: " + json.length() + "\r\n\r\n" + json).refusal())
      .isTrue();
    assertThat(new Raw("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok").refusal()).as("HTTP/1.0 200").isFalse();
    assertThat(new Raw("HTTP/1.0 400 Bad Request\r\n\r\n" + json).refusal()).as("an HTTP/1.0 400").isTrue();
    assertThat(new Raw("HTTP/2.0 400 Bad Request\r\n\r\n" + json).refusal()).as("not HTTP/1.x").isFalse();
    assertThat(new Raw("HTTP/1.1 400 Bad Request\n\n" + json).refusal()).as("no CRLF").isFalse();
    assertThat(new Raw("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok").refusal()).as("a 200").isFalse();
    assertThat(new Raw("HTTP/1.1 400 Bad Request\r\n\r\n<html>").refusal()).as("no JSON body").isFalse();
    assertThat(new Raw("HTTP/1.1 4xx nope\r\n\r\n" + json).refusal()).as("no status code").isFalse();
    assertThat(new Raw("HTTP/1.1 400").refusal()).as("a cut status line").isFalse();
    assertThat(new Raw("garbage").refusal()).isFalse();
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  @Test
  void malformedHttpGets4xxOrACloseAndWritesNothing() throws Exception {
    long before = rows();
    String post = "{\"author\":\"a\",\"title\":\"t\",\"body\":\"b\"}";
    Map<String, byte[]> corpus = new LinkedHashMap<>();
    corpus.put("garbage request line", ascii("GARBAGE\r\n\r\n"));
    corpus.put("no version", ascii("GET /\r\n\r\n"));
    corpus.put("unknown method", ascii("FROB /api/posts HTTP/1.1\r\nHost: x\r\n\r\n"));
    corpus.put("control byte in header name", ascii("GET / HTTP/1.1\r\nHost: x\r\nX-B\u0001d: v\r\n\r\n"));
    corpus.put("header without colon", ascii("GET / HTTP/1.1\r\nHost: x\r\nNoColon\r\n\r\n"));
    corpus.put("space before colon", ascii("GET / HTTP/1.1\r\nHost: x\r\nX-A : v\r\n\r\n"));
    corpus.put("duplicated differing Content-Length", ascii("POST /api/posts HTTP/1.1\r\nHost: x\r\n"
      + "Content-Type: application/json\r\nContent-Length: " + post.length() + "\r\nContent-Length: 3\r\n\r\n" + post));
    corpus.put("Content-Length with Transfer-Encoding", ascii("POST /api/posts HTTP/1.1\r\nHost: x\r\n"
      + "Content-Type: application/json\r\nContent-Length: " + (post.length() + 9) + "\r\nTransfer-Encoding: chunked\r\n\r\n"
      + "0\r\n\r\n" + post));
    corpus.put("negative Content-Length", ascii("POST /api/posts HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n"));
    corpus.put("non-numeric Content-Length", ascii("POST /api/posts HTTP/1.1\r\nHost: x\r\nContent-Length: 1e3\r\n\r\n"));
    corpus.put("oversized URI", ascii("GET /" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n"));
    corpus.put("oversized headers", ascii("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(10_000) + "\r\n\r\n"));
    corpus.put("oversized declared body", ascii("POST /api/posts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      + "Content-Length: 50000000\r\n\r\n{"));
    corpus.put("body over the app's limit", ascii("POST /api/posts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      + "Content-Length: 100000\r\n\r\n" + "{\"author\":\"" + "x".repeat(100_000 - 12) + "\"}"));
    corpus.put("NUL in the path", ascii("GET /%00 HTTP/1.1\r\nHost: x\r\n\r\n"));
    corpus.put("encoded traversal", ascii("GET /%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n"));
    corpus.put("backslash traversal", ascii("GET /..\\..\\etc\\passwd HTTP/1.1\r\nHost: x\r\n\r\n"));
    corpus.put("dotfile", ascii("GET /.git/config HTTP/1.1\r\nHost: x\r\n\r\n"));
    List<String> failures = new ArrayList<>();
    for (Map.Entry<String, byte[]> item : corpus.entrySet()) {
      Raw answer = raw(item.getValue());
      LOG.info("hostile {}: {}", item.getKey(), answer.describe());
      if (!answer.refusal()) {
        failures.add(item.getKey() + " -> " + answer.describe());
      }
    }
    assertThat(failures).as("every malformed request gets a JSON 4xx or a close").isEmpty();
    assertThat(rows()).as("no malformed request wrote a row").isEqualTo(before);
    stillServing();
  }

  @Test
  void badApiInputGets400WithTheFieldAndWritesNothing() {
    long before = rows();
    List<String> failures = new ArrayList<>();
    Map<String, String> bodies = new LinkedHashMap<>();
    bodies.put("not JSON", "{\"author\": ");
    bodies.put("JSON array", "[1,2]");
    bodies.put("JSON string", "\"hello\"");
    bodies.put("empty object", "{}");
    bodies.put("wrong types", "{\"author\": 1, \"title\": true, \"body\": [\"x\"]}");
    bodies.put("missing body", "{\"author\": \"a\", \"title\": \"t\"}");
    bodies.put("blank fields", "{\"author\": \"  \", \"title\": \"t\", \"body\": \"b\"}");
    bodies.put("huge title", new JsonObject().put("author", "a").put("title", "t".repeat(5000)).put("body", "b").encode());
    bodies.put("deep nesting", "[".repeat(5000) + "]".repeat(5000));
    for (Map.Entry<String, String> item : bodies.entrySet()) {
      check(failures, item.getKey(), client.post("/api/posts").putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer(item.getValue())));
    }
    byte[] invalidUtf8 = {'{', '"', 'a', 'u', 't', 'h', 'o', 'r', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', ',',
      '"', 't', 'i', 't', 'l', 'e', '"', ':', '"', 't', '"', ',', '"', 'b', 'o', 'd', 'y', '"', ':', '"', 'b', '"', '}'};
    check(failures, "invalid UTF-8", client.post("/api/posts").putHeader("Content-Type", "application/json")
      .sendBuffer(Buffer.buffer(invalidUtf8)));
    for (String uri : new String[] {"/api/posts/-1", "/api/posts/0", "/api/posts/99999999999999999999999",
      "/api/posts/abc", "/api/posts/1%27%20OR%20%271%27=%271", "/api/posts?limit=-1", "/api/posts?limit=1000000",
      "/api/posts?limit=abc", "/api/posts?before=-5", "/api/posts?before=1%20OR%201=1", "/api/posts/1;DROP%20TABLE%20posts"}) {
      check(failures, "GET " + uri, client.get(uri).send());
    }
    check(failures, "PUT a huge id", client.put("/api/posts/99999999999999999999").putHeader("Content-Type",
      "application/json").sendBuffer(Buffer.buffer("{\"author\":\"a\",\"title\":\"t\",\"body\":\"b\"}")));
    check(failures, "DELETE a negative id", client.delete("/api/posts/-7").send());
    assertThat(failures).as("every bad input gets a JSON 4xx").isEmpty();
    assertThat(rows()).as("no rejected request wrote a row").isEqualTo(before);
    stillServing();
  }

  private static void check(List<String> failures, String what, io.vertx.core.Future<HttpResponse<Buffer>> sent) {
    HttpResponse<Buffer> response = Await.result(sent);
    String body = response.bodyAsString();
    LOG.info("bad input {}: {} {}", what, response.statusCode(), body);
    boolean clear = response.statusCode() >= 400 && response.statusCode() < 500 && body != null
      && body.startsWith("{") && new JsonObject(body).containsKey("error");
    if (!clear) {
      failures.add(what + " -> " + response.statusCode() + " " + body);
    }
  }

  @Test
  void sqlAndHtmlInPostsAreStoredAndReturnedVerbatimAsData() {
    String title = "'; DROP TABLE posts; -- \" OR 1=1";
    String body = "<script>alert(document.cookie)</script><img src=x onerror=alert(1)> & \u00e9\u4e2d\ud83d\ude00";
    long before = rows();
    HttpResponse<Buffer> created = Await.result(client.post("/api/posts")
      .sendJsonObject(new JsonObject().put("author", "<b>mallory</b>").put("title", title).put("body", body)));
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(rows()).isEqualTo(before + 1);
    long id = created.bodyAsJsonObject().getLong("id");
    HttpResponse<Buffer> read = Await.result(client.get("/api/posts/" + id)
      .putHeader("X-Consistency-Token", String.valueOf(created.getHeader("X-Consistency-Token"))).send());
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(read.getHeader("Content-Type")).startsWith("application/json");
    assertThat(read.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(read.bodyAsJsonObject().getString("title")).isEqualTo(title);
    assertThat(read.bodyAsJsonObject().getString("body")).isEqualTo(body);
    assertThat(read.bodyAsJsonObject().getString("author")).isEqualTo("<b>mallory</b>");
    assertThat(topology.pair.sql("primary", "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema='foobar'"
      + " AND table_name='posts'").trim()).as("the table is still there").isEqualTo("1");
    HttpResponse<Buffer> forged = Await.result(client.post("/api/posts").sendJsonObject(new JsonObject()
      .put("author", "a").put("title", "t").put("body", "b").put("id", 987_654_321L).put("createdAt", "1970-01-01")));
    assertThat(forged.statusCode()).as("unknown fields are ignored, never used").isEqualTo(201);
    assertThat(forged.bodyAsJsonObject().getLong("id")).as("the server assigns the id").isNotEqualTo(987_654_321L);
    assertThat(forged.bodyAsJsonObject().getString("createdAt")).doesNotStartWith("1970");
    String script = Await.result(client.get("/app.js").send()).bodyAsString();
    assertThat(script).as("the page renders posts with textContent").contains("textContent")
      .doesNotContainPattern("(inner|outer)HTML\\s*\\+?=");
  }

  @Test
  void slowlorisDoesNotStopNormalTraffic() throws Exception {
    List<Long> baseline = timedRequests(100);
    List<Socket> slow = new ArrayList<>();
    AtomicBoolean trickling = new AtomicBoolean(true);
    AtomicInteger answered408 = new AtomicInteger();
    for (int i = 0; i < 300; i++) {
      Socket socket = new Socket("127.0.0.1", topology.balancer.actualPort());
      socket.getOutputStream().write(ascii("GET / HTTP/1.1\r\nHost: x\r\n"));
      slow.add(socket);
    }
    Thread trickler = new Thread(() -> {
      while (trickling.get()) {
        for (Socket socket : slow) {
          try {
            socket.getOutputStream().write(ascii("X-a: b\r\n"));
          } catch (java.io.IOException closed) {
            // the balancer closed it: that is the point
          }
        }
        try {
          Thread.sleep(500);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    trickler.start();
    try {
      List<Long> during = timedRequests(100);
      long p99Before = p99(baseline);
      long p99During = p99(during);
      LOG.info("slowloris: 300 slow connections; p99 of normal GET /api/posts {} ms before, {} ms during ({}x)",
        p99Before / 1_000_000.0, p99During / 1_000_000.0, String.format("%.2f", (double) p99During / p99Before));
      // The balancer's request-head timer (requestHeaderTimeout, 10 s) answers every slow connection 408.
      for (Socket socket : slow) {
        socket.setSoTimeout(30_000);
      }
      await().atMost(Duration.ofSeconds(40)).until(() -> {
        for (Socket socket : slow) {
          if (!socket.isClosed() && socket.getInputStream().available() > 0) {
            byte[] head = socket.getInputStream().readNBytes(12);
            if (new String(head, StandardCharsets.ISO_8859_1).startsWith("HTTP/1.1 408")) {
              answered408.incrementAndGet();
            }
            socket.close();
          }
        }
        return slow.stream().allMatch(Socket::isClosed);
      });
    } finally {
      trickling.set(false);
      trickler.join();
      for (Socket socket : slow) {
        socket.close();
      }
    }
    assertThat(answered408.get()).as("slow heads are answered 408").isEqualTo(300);
    stillServing();
  }

  private static List<Long> timedRequests(int n) {
    List<Long> times = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long start = System.nanoTime();
      HttpResponse<Buffer> response = Await.result(client.get("/api/posts?limit=5").send());
      times.add(System.nanoTime() - start);
      assertThat(response.statusCode()).as("normal traffic keeps working").isEqualTo(200);
    }
    return times;
  }

  private static long p99(List<Long> times) {
    long[] sorted = times.stream().mapToLong(Long::longValue).toArray();
    Arrays.sort(sorted);
    return sorted[(int) Math.ceil(sorted.length * 0.99) - 1];
  }

  private static void stillServing() {
    assertThat(Await.result(client.get("/api/posts?limit=1").send()).statusCode()).isEqualTo(200);
    assertThat(Await.result(client.get("/").send()).statusCode()).isEqualTo(200);
    WebClient direct = WebClient.create(topology.edge);
    for (int port : new int[] {topology.balancer.managementPort(), topology.apps[0].managementPort(),
      topology.apps[1].managementPort(), topology.monitor.actualPort()}) {
      assertThat(Await.result(direct.get(port, "127.0.0.1", "/health/live").send()).statusCode())
        .as("process on " + port + " alive").isEqualTo(200);
    }
    direct.close();
  }
}
