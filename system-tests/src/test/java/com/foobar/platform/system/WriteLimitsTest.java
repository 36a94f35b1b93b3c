package com.foobar.platform.system;

import com.foobar.platform.testing.Await;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The shipped write limits through the real balancer, app servers and MariaDB: one client's rapid POSTs get 429s
 * (JSON, Retry-After) after the burst, and only the accepted ones are written, while a second client's reads and
 * writes go on unaffected; the monitor's synthetic probe, at its shipped interval, stays within its own budget.
 * The test's clients are told apart by {@code X-Forwarded-For}, which the balancer believes here because the
 * test's own address is configured as a trusted proxy, as a CDN's would be.
 */
class WriteLimitsTest {

  private static final String FIRST = "203.0.113.10";
  private static final String SECOND = "203.0.113.20";
  private static Topology topology;
  private static WebClient client;
  private static WebClient second;

  @BeforeAll
  static void start() {
    topology = new Topology(new JsonObject().put("intervalMs", 2000),
      new JsonObject().put("firewall", new JsonObject().put("trustedProxies", new JsonArray().add("127.0.0.1/32"))));
    client = WebClient.create(topology.edge, new WebClientOptions().setDefaultHost("127.0.0.1")
      .setDefaultPort(topology.balancer.actualPort()));
    second = WebClient.create(topology.edge, new WebClientOptions().setDefaultHost("127.0.0.1")
      .setDefaultPort(topology.balancer.actualPort()));
  }

  @AfterAll
  static void stop() {
    client.close();
    second.close();
    topology.close();
  }

  private static io.vertx.core.Future<HttpResponse<Buffer>> post(String from, String title) {
    return client.post("/api/posts").putHeader("X-Forwarded-For", from)
      .sendJsonObject(new JsonObject().put("author", from).put("title", title).put("body", "rapid"));
  }

  private static int rows(String author) {
    return Integer.parseInt(topology.pair.sql("primary", "SELECT COUNT(*) FROM foobar.posts WHERE author = '"
      + author + "'").strip());
  }

  private static double rateLimited() {
    String metrics = Await.result(client.get(topology.balancer.managementPort(), "127.0.0.1", "/metrics").send())
      .bodyAsString();
    Matcher line = Pattern.compile("foobar_lb_rejected_requests_total\\{reason=\"rate_limited\"[^}]*} (\\S+)")
      .matcher(metrics);
    return line.find() ? Double.parseDouble(line.group(1)) : 0;
  }

  @Test
  void fiftyRapidPostsGet429sAfterTheBurstWhileAnotherClientIsUnaffected() {
    double limitedBefore = rateLimited();
    List<HttpResponse<Buffer>> reads = new ArrayList<>();
    List<HttpResponse<Buffer>> posts = new ArrayList<>();
    long started = System.nanoTime();
    // Alternately, each on its own client's connections. (One at a time: with forwarded POSTs and GETs in
    // flight together, the balancer's forwarding path loses some connections today; reported on its own.)
    for (int i = 0; i < 50; i++) {
      posts.add(Await.result(post(FIRST, "rapid " + i)));
      reads.add(Await.result(second.get("/api/posts?limit=5").putHeader("X-Forwarded-For", SECOND).send()));
    }
    double seconds = (System.nanoTime() - started) / 1e9;

    List<HttpResponse<Buffer>> accepted = posts.stream().filter(r -> r.statusCode() == 201).toList();
    List<HttpResponse<Buffer>> limited = posts.stream().filter(r -> r.statusCode() == 429).toList();
    assertThat(accepted.size() + limited.size()).as("every POST was accepted or limited").isEqualTo(50);
    // The burst of 10, plus what the bucket refilled at 2 a second while the loop ran.
    assertThat(accepted.size()).isBetween(10, 10 + (int) Math.ceil(seconds * 2) + 1);
    assertThat(posts.subList(0, 10)).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(201));
    assertThat(limited).allSatisfy(r -> {
      assertThat(r.getHeader("Content-Type")).startsWith("application/json");
      assertThat(r.bodyAsJsonObject().getString("error")).isEqualTo("too_many_requests");
      assertThat(Integer.parseInt(r.getHeader("Retry-After"))).isPositive();
    });
    assertThat(rows(FIRST)).as("only the accepted posts were written").isEqualTo(accepted.size());

    assertThat(reads).as("the second client's reads")
      .allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(200));
    assertThat(Await.result(second.post("/api/posts").putHeader("X-Forwarded-For", SECOND).sendJsonObject(
      new JsonObject().put("author", SECOND).put("title", "not limited").put("body", "b"))).statusCode())
      .as("and its writes").isEqualTo(201);
    assertThat(Await.result(client.get("/api/posts?limit=5").putHeader("X-Forwarded-For", FIRST).send())
      .statusCode()).as("reads are never limited").isEqualTo(200);
    assertThat(rateLimited() - limitedBefore).as("no other request was limited").isEqualTo(limited.size());
  }

  /** At the shipped interval (2 s) the probe writes at most 1.5 times a second: never limited. */
  @Test
  void theSyntheticProbeStaysWithinItsBudget() {
    double before = rateLimited();
    int monitor = topology.monitor.actualPort();
    JsonObject[] status = new JsonObject[1];
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
      status[0] = Await.result(client.get(monitor, "127.0.0.1", "/api/status").send()).bodyAsJsonObject();
      return status[0].getJsonObject("history").getJsonArray("synthetic").size() >= 3;
    });
    JsonObject synthetic = MonitorSystemTest.component(status[0], "synthetic");
    assertThat(synthetic.getBoolean("up")).as(synthetic.encode()).isTrue();
    assertThat(synthetic.getJsonObject("detail").getInteger("deleteStatus")).as("deleted with its edit token")
      .isEqualTo(204);
    assertThat(status[0].getJsonObject("history").getJsonArray("synthetic").stream().map(JsonObject.class::cast))
      .allSatisfy(round -> assertThat(round.getBoolean("up")).isTrue());
    assertThat(rateLimited()).isEqualTo(before);
    assertThat(rows("foobar-monitor")).as("its posts are gone again").isLessThanOrEqualTo(1);
  }
}
