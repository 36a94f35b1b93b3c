package com.foobar.platform.system;

import com.foobar.platform.system.monitoring.PrometheusServer;
import com.foobar.platform.system.monitoring.WebhookReceiver;
import com.foobar.platform.testing.FreePorts;
import com.foobar.platform.testing.MariaDbPair;
import com.foobar.platform.testing.RepoRoot;
import com.foobar.platform.testing.TempDirs;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Alerts mean something (issue 15), on a real {@code ./foobar up} with its own Prometheus and Alertmanager, run
 * exactly as shipped (conf/prometheus.yml, conf/alerts.yml, conf/alertmanager.yml with only the receiver given a
 * webhook here and the grouping waits shortened): planned work pages nobody (a clean start,  a server stopped while in
 * MAINT at the balancer, {@code ./foobar restart} of the monitor, the balancer and an app server,
 * {@code ./foobar switchover}); each real failure (kill -9
 * of an app server, a stopped replica, a killed primary) is exactly one firing and one resolved notification,
 * the firing within the bound. The monitor's own engine, which the status page shows, raises nothing for the
 * planned work either.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AlertsMeanSomethingTest {

  /** Two probe rounds (2 s), a scrape and an evaluation (5 s each), the rules' for (10 s), group_wait, slack. */
  private static final Duration FIRING_BOUND = Duration.ofSeconds(35);
  /** After a planned operation, long enough for any alert it caused to fire and be sent. */
  private static final Duration QUIET = Duration.ofSeconds(22);

  private static final Path ROOT = RepoRoot.find();
  private static final Map<String, String> ENV = new LinkedHashMap<>();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static MariaDbPair pair;
  private static WebhookReceiver pager;
  private static Path dir;

  @BeforeAll
  static void up() throws IOException {
    Requirements.need(Processes.run(List.of("sh", "-c", "command -v prometheus && (command -v "
      + "prometheus-alertmanager || command -v alertmanager)"), null, 10).exitCode() == 0,
      "prometheus and prometheus-alertmanager are not installed: skipped");
    pair = MariaDbPair.isolated();
    pager = WebhookReceiver.start();
    dir = TempDirs.create("foobar-alerts-mean-");
    Path alertmanager = dir.resolve("alertmanager.yml");
    Files.writeString(alertmanager, shippedAlertmanagerPaging(pager.url()));
    for (String name : List.of("APP1", "APP1_MANAGEMENT", "APP2", "APP2_MANAGEMENT", "LB", "LB_MANAGEMENT", "LB_TLS",
      "MONITOR", "PROMETHEUS", "ALERTMANAGER")) {
      ENV.put("FOOBAR_" + name + "_PORT", Integer.toString(FreePorts.next()));
    }
    ENV.put("FOOBAR_ALERTMANAGER_CONFIG", alertmanager.toString());
    // A shorter JIT warm-up before an app says ready (8 s by default): it restarts four times here.
    ENV.put("FOOBAR_APP_WARM_UP_MS", "2000");
    Processes.Result up = Launcher.run(pair, ENV, "up");
    assertThat(up.exitCode()).as(up.output()).isZero();
  }

  /** The shipped file, its receiver 'oncall' given the test's webhook, and its waits in seconds, not minutes. */
  private static String shippedAlertmanagerPaging(String url) throws IOException {
    String shipped = Files.readString(ROOT.resolve("conf/alertmanager.yml"));
    assertThat(shipped).containsPattern("(?m)^  - name: oncall$").contains("group_wait: 30s")
      .contains("group_interval: 5m");
    return shipped.replaceFirst("(?m)^  - name: oncall$", "  - name: oncall\n    webhook_configs:\n      - url: '" + url
        + "'\n        send_resolved: true")
      .replace("group_wait: 30s", "group_wait: 1s").replace("group_interval: 5m", "group_interval: 2s");
  }

  @AfterAll
  static void down() {
    if (pair == null) {
      return;
    }
    try {
      Processes.Result down = Launcher.run(pair, ENV, "down");
      assertThat(down.exitCode()).as(down.output()).isZero();
    } finally {
      pager.close();
      pair.destroy();
      TempDirs.delete(dir);
    }
  }

  @Test
  @Order(1)
  void plannedWorkPagesNobody() throws Exception {
    PrometheusServer.at(port("PROMETHEUS")).awaitTargetsUp(4, Duration.ofSeconds(60));

    // A server taken out by the operator at the balancer, then stopped: maintenance, with who did it. While it is
    // down, the monitor is restarted.
    lbAdmin("PUT", "/admin/backends/127.0.0.1:" + port("APP2"), "{\"state\":\"maint\",\"by\":\"ops on call\"}");
    await().atMost(Duration.ofSeconds(15)).ignoreExceptions().untilAsserted(() ->
      assertThat(status().getJsonObject("maintenance").getJsonObject("app-2").getString("by")).startsWith("ops on call"));
    kill("app-2", "TERM");
    long stopped = System.nanoTime();
    assertRun("restart", "monitor");
    Thread.sleep(Math.max(0, QUIET.toMillis() - Duration.ofNanos(System.nanoTime() - stopped).toMillis()));
    assertThat(status().getJsonObject("maintenance").getJsonObject("app-2").getString("what"))
      .isEqualTo("MAINT at the balancer");
    assertRun("up");
    lbAdmin("PUT", "/admin/backends/127.0.0.1:" + port("APP2"), "{\"state\":\"ready\"}");

    assertRun("restart", "app-1");
    assertRun("restart", "lb");
    assertRun("switchover");
    Thread.sleep(QUIET.toMillis());

    assertThat(pager.notifications()).as("notifications for planned work; 5xx in the logs: " + serverErrors())
      .isEmpty();
    JsonObject alerts = status().getJsonObject("alerts");
    assertThat(alerts.getJsonArray("active")).as("the monitor's own alerts").isEmpty();
    assertThat(alerts.getJsonArray("resolved")).as("the monitor's own alerts").isEmpty();
    assertThat(logLines(".*(already registered|MeterFilter is being configured after).*"))
      .as("start-up warnings that are no problem").isEmpty();
  }

  /** Two incidents at once, on two tiers: each is one firing and one resolved notification, nothing more. */
  @Test
  @Order(2)
  void aKilledAppServerAndAStoppedReplicaPageOnceEachAndResolveOnceEach() throws Exception {
    String replica = node(true);
    kill("app-1", "KILL");
    pair.stop(replica);
    awaitOneFiring("FoobarServerDown", "FoobarComponentDown");
    assertRun("up"); // starts what is not running: app-1 and the replica
    awaitOneResolved("FoobarServerDown", "FoobarComponentDown");
  }

  @Test
  @Order(3)
  void aKilledPrimaryPagesOnceAndResolvesOnce() throws Exception {
    String primary = node(false);
    pair.kill(primary);
    awaitOneFiring("FoobarComponentDown");
    pair.start(primary);
    awaitOneResolved("FoobarComponentDown");
  }

  /** Exactly one notification, firing, of each alert, within the bound; nothing else. */
  private static void awaitOneFiring(String... alertnames) throws InterruptedException {
    pager.clear();
    long started = System.nanoTime();
    await().atMost(FIRING_BOUND).pollInterval(Duration.ofMillis(500))
      .until(() -> pager.notifications().size() >= alertnames.length);
    System.out.printf("%s fired after %d ms%n", String.join(", ", alertnames),
      Duration.ofNanos(System.nanoTime() - started).toMillis());
    Thread.sleep(Duration.ofSeconds(6).toMillis()); // what else the incidents send: nothing
    assertThat(pager.alerts()).as("one incident, one notification").extracting(WebhookReceiver.Notified::alertname,
      WebhookReceiver.Notified::status).containsExactlyInAnyOrder(tuples(alertnames, "firing"));
    assertThat(pager.notifications()).hasSize(alertnames.length);
  }

  private static void awaitOneResolved(String... alertnames) throws InterruptedException {
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
      .until(() -> java.util.Arrays.stream(alertnames).allMatch(name -> pager.count(name, "resolved") > 0));
    Thread.sleep(Duration.ofSeconds(6).toMillis());
    List<org.assertj.core.groups.Tuple> expected = new java.util.ArrayList<>(List.of(tuples(alertnames, "firing")));
    expected.addAll(List.of(tuples(alertnames, "resolved")));
    assertThat(pager.alerts()).as("one firing, then one resolved").extracting(WebhookReceiver.Notified::alertname,
      WebhookReceiver.Notified::status).containsExactlyInAnyOrderElementsOf(expected);
  }

  private static org.assertj.core.groups.Tuple[] tuples(String[] alertnames, String status) {
    return java.util.Arrays.stream(alertnames).map(name -> org.assertj.core.groups.Tuple.tuple(name, status))
      .toArray(org.assertj.core.groups.Tuple[]::new);
  }

  /** What the tiers logged with a 5xx status, for a failure's message. */
  private static List<String> serverErrors() throws IOException {
    return logLines(".*(\"status\":5\\d\\d| 5\\d\\d ).*");
  }

  private static List<String> logLines(String pattern) throws IOException {
    try (var files = Files.list(pair.stateDir().resolve("logs"))) {
      return files.flatMap(file -> {
        try {
          return Files.readAllLines(file).stream().filter(line -> line.matches(pattern));
        } catch (IOException e) {
          return java.util.stream.Stream.of(file + ": " + e.getMessage());
        }
      }).limit(40).toList();
    }
  }

  /** The pair's node ({@code primary} or {@code replica} in mariadb-pair's words) that is read-only, or writable. */
  private static String node(boolean readOnly) {
    for (String node : List.of("primary", "replica")) {
      if (pair.sql(node, "SELECT @@read_only").trim().equals(readOnly ? "1" : "0")) {
        return node;
      }
    }
    throw new IllegalStateException("no " + (readOnly ? "read-only" : "writable") + " node");
  }

  private static void assertRun(String... command) {
    System.out.printf("%s ./foobar %s%n", java.time.Instant.now(), String.join(" ", command));
    Processes.Result result = Launcher.run(pair, ENV, command);
    assertThat(result.exitCode()).as(String.join(" ", command) + ": " + result.output()).isZero();
  }

  private static void kill(String tier, String signal) throws IOException {
    String pid = Files.readString(pair.stateDir().resolve("run/" + tier + ".pid")).trim();
    Processes.Result kill = Processes.run(List.of("kill", "-" + signal, pid), null, 10);
    assertThat(kill.exitCode()).as(kill.output()).isZero();
    await().atMost(Duration.ofSeconds(40)).until(() -> !Files.exists(Path.of("/proc", pid)));
  }

  private static int port(String name) {
    return Integer.parseInt(ENV.get("FOOBAR_" + name + "_PORT"));
  }

  private static String token() throws IOException {
    return Files.readString(pair.stateDir().resolve("secrets/management.token")).trim();
  }

  private static JsonObject status() throws Exception {
    return new JsonObject(send("GET", "http://127.0.0.1:" + port("MONITOR") + "/api/status?history=false", null));
  }

  private static void lbAdmin(String method, String path, String body) throws Exception {
    send(method, "http://127.0.0.1:" + port("LB_MANAGEMENT") + path, body);
  }

  private static String send(String method, String url, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
      .header("Authorization", "Bearer " + token()).header("Content-Type", "application/json")
      .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(method + " " + url + ": " + response.body()).isEqualTo(200);
    return response.body();
  }
}
