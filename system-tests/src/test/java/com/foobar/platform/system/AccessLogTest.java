package com.foobar.platform.system;

import com.foobar.platform.testing.Await;
import com.foobar.platform.testing.TempDirs;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The balancer's access log under {@code FOOBAR_LOG_FORMAT=json} with the shipped {@code "accessLog": "auto"}: a
 * balancer process run as the launcher runs it (log directory, JSON format), and every line of its
 * {@code lb-access.log} parses as one JSON object with the documented fields.
 */
class AccessLogTest {

  private static Vertx vertx;
  private static HttpServer backend;

  @BeforeAll
  static void backend() {
    vertx = Vertx.vertx();
    backend = Await.result(vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body ->
      request.response().setStatusCode(request.path().equals("/missing") ? 404 : 200).end("served " + request.uri())))
      .listen(0, "127.0.0.1"));
  }

  @AfterAll
  static void stop() {
    Await.result(vertx.close());
  }

  @Test
  void underJsonLoggingEveryAccessLineIsAJsonObjectWithTheDocumentedFields() throws Exception {
    BalancerProcess balancer = new BalancerProcess();
    String address = "127.0.0.1:" + backend.actualPort();
    JsonObject config = balancer.config(List.of(address), new JsonObject().put("accessLog", "auto"));
    Path logs = TempDirs.create("foobar-access-log-");
    try (TierProcess lb = TierProcess.start("lb", "lb-verticle", config,
      List.of("-Dfoobar.management.token=" + BalancerProcess.TOKEN), List.of(),
      Map.of("FOOBAR_LOG_FORMAT", "json", "FOOBAR_LOG_NAME", "lb", "FOOBAR_LOG_DIR", logs.toString()))) {
      exercise(balancer, lb, logs.resolve("lb-access.log"));
    } finally {
      TempDirs.delete(logs);
    }
  }

  private static void exercise(BalancerProcess balancer, TierProcess lb, Path access) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> send(http, balancer, "GET", "/warm", "warm") == 200);
    assertThat(send(http, balancer, "GET", "/page?a=1&b=two", "rid-get")).isEqualTo(200);
    assertThat(send(http, balancer, "POST", "/api/posts", "rid-post")).isEqualTo(200);
    assertThat(send(http, balancer, "GET", "/missing", "rid-404")).isEqualTo(404);
    await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(access)
      && Files.readAllLines(access).stream().anyMatch(line -> line.contains("rid-404")));
    List<String> lines = Files.readAllLines(access);
    assertThat(lines).as(lb.tail()).hasSizeGreaterThanOrEqualTo(4);
    Map<String, JsonObject> byRid = new java.util.HashMap<>();
    for (String line : lines) {
      JsonObject record = new JsonObject(line); // throws on a line that is not one JSON object
      for (String field : List.of("time", "client", "method", "path", "status", "bytes", "duration_ms", "backend",
        "rid", "term")) {
        assertThat(record.containsKey(field)).as("%s in %s", field, line).isTrue();
      }
      OffsetDateTime.parse(record.getString("time")); // ISO-8601 with its offset
      byRid.put(record.getString("rid"), record);
    }
    JsonObject get = byRid.get("rid-get");
    assertThat(get.getString("method")).isEqualTo("GET");
    assertThat(get.getString("path")).isEqualTo("/page");
    assertThat(get.getString("query")).isEqualTo("a=1&b=two");
    assertThat(get.getInteger("status")).isEqualTo(200);
    assertThat(get.getLong("bytes")).isEqualTo(("served /page?a=1&b=two").length());
    assertThat(get.getString("client")).isEqualTo("127.0.0.1");
    assertThat(get.getString("backend")).isEqualTo("127.0.0.1:" + backend.actualPort());
    assertThat(get.getDouble("duration_ms")).isGreaterThan(0);
    assertThat(get.getString("term")).isEqualTo("--");
    assertThat(byRid.get("rid-post").getString("method")).isEqualTo("POST");
    assertThat(byRid.get("rid-404").getInteger("status")).isEqualTo(404);
  }

  private static int send(HttpClient http, BalancerProcess balancer, String method, String path, String rid)
    throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + balancer.port + path))
      .timeout(Duration.ofSeconds(5)).header("X-Request-Id", rid)
      .method(method, method.equals("POST") ? HttpRequest.BodyPublishers.ofString("{}")
        : HttpRequest.BodyPublishers.noBody()).build();
    return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
