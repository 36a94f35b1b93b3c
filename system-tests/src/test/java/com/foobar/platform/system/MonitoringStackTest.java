package com.foobar.platform.system;

import com.foobar.platform.testing.FreePorts;
import com.foobar.platform.testing.MariaDbPair;
import com.foobar.platform.system.monitoring.PrometheusServer;
import com.foobar.platform.testing.RepoRoot;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Monitoring out of the box (issue 13), on a real {@code ./foobar up} over its own MariaDB pair, every port
 * ephemeral: the launcher's own Prometheus scrapes the four tiers with the management token, loads
 * {@code conf/alerts.yml} and sends to the launcher's Alertmanager; the shipped {@code conf/prometheus.yml}, run
 * the README's way (from the repository, next to {@code state/}), scrapes the same four up; every query of the
 * shipped Grafana dashboard returns series; {@code ./foobar down} stops Prometheus and Alertmanager.
 */
class MonitoringStackTest {

  private static final Path ROOT = RepoRoot.find();
  private static MariaDbPair pair;
  private static final Map<String, String> PORTS = new LinkedHashMap<>();
  private static Path readmeRepo;
  private static PrometheusServer readmePrometheus;

  @BeforeAll
  static void up() throws IOException {
    Requirements.need(Processes.run(List.of("sh", "-c", "command -v prometheus && (command -v "
      + "prometheus-alertmanager || command -v alertmanager)"), null, 10).exitCode() == 0,
      "prometheus and prometheus-alertmanager are not installed: skipped");
    pair = MariaDbPair.isolated();
    for (String name : List.of("APP1", "APP1_MANAGEMENT", "APP2", "APP2_MANAGEMENT", "LB", "LB_MANAGEMENT", "LB_TLS",
      "MONITOR", "PROMETHEUS", "ALERTMANAGER")) {
      PORTS.put("FOOBAR_" + name + "_PORT", Integer.toString(FreePorts.next()));
    }
    Processes.Result up = Launcher.run(pair, PORTS, "up");
    assertThat(up.exitCode()).as(up.output()).isZero();
    readmePrometheus = startTheReadmesWay();
  }

  @AfterAll
  static void down() throws Exception {
    if (pair == null) {
      return;
    }
    try {
      if (readmePrometheus != null) {
        readmePrometheus.close();
      }
      Processes.Result down = Launcher.run(pair, PORTS, "down");
      assertThat(down.exitCode()).as(down.output()).isZero();
      assertThat(down.output()).contains("prometheus: stopped").contains("alertmanager: stopped");
      for (String name : List.of("PROMETHEUS", "ALERTMANAGER")) {
        assertThat(answers(port(name))).as(name + " after ./foobar down").isFalse();
        assertThat(pair.stateDir().resolve("run/" + name.toLowerCase(Locale.ROOT) + ".pid")).doesNotExist();
      }
    } finally {
      pair.destroy();
      if (readmeRepo != null) {
        Processes.run(List.of("rm", "-rf", readmeRepo.toString()), null, 30);
      }
    }
  }

  private static boolean answers(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int port(String name) {
    return Integer.parseInt(PORTS.get("FOOBAR_" + name + "_PORT"));
  }

  private static PrometheusServer launchers() {
    return PrometheusServer.at(port("PROMETHEUS"));
  }

  @Test
  void theLaunchersPrometheusScrapesEveryTierLoadsTheRulesAndAlertsTheAlertmanager() throws Exception {
    launchers().awaitTargetsUp(4, Duration.ofSeconds(30));
    assertThat(launchers().alertmanagers())
      .containsExactly("http://127.0.0.1:" + port("ALERTMANAGER") + "/api/v2/alerts");
    assertThat(launchers().rules()).isNotEmpty()
      .allSatisfy(rule -> assertThat(rule.getString("health")).isEqualTo("ok"));
    // Alertmanager's API is read with the same client: one Alertmanager, no cluster port.
    assertThat(PrometheusServer.at(port("ALERTMANAGER")).get("/api/v2/status").getJsonObject("cluster")
      .getString("status")).isEqualTo("disabled");

    Processes.Result status = Launcher.run(pair, PORTS, "status");
    assertThat(status.exitCode()).as(status.output()).isZero();
    assertThat(status.output()).containsPattern("prometheus +127\\.0\\.0\\.1:" + port("PROMETHEUS")
      + " .*up \\(targets 4/4 up\\)").containsPattern("alertmanager +127\\.0\\.0\\.1:" + port("ALERTMANAGER") + " .*up");
  }

  /**
   * The README's command on the shipped file, in a copy of the repository's layout ({@code conf/} beside the
   * stack's {@code state/}), with only the stack's ports put in for the shipped defaults. Started with the stack,
   * so that its first scrapes overlap the other tests.
   */
  private static PrometheusServer startTheReadmesWay() throws IOException {
    readmeRepo = Files.createTempDirectory("foobar-readme-prometheus-");
    Files.createDirectories(readmeRepo.resolve("conf"));
    Files.createSymbolicLink(readmeRepo.resolve("state"), pair.stateDir());
    Files.writeString(readmeRepo.resolve("conf/prometheus.yml"), Files.readString(ROOT.resolve("conf/prometheus.yml"))
      .replace("127.0.0.1:8180", "127.0.0.1:" + port("LB_MANAGEMENT"))
      .replace("127.0.0.1:8181", "127.0.0.1:" + port("APP1_MANAGEMENT"))
      .replace("127.0.0.1:8182", "127.0.0.1:" + port("APP2_MANAGEMENT"))
      .replace("127.0.0.1:8190", "127.0.0.1:" + port("MONITOR"))
      .replace("127.0.0.1:9093", "127.0.0.1:" + port("ALERTMANAGER")));
    Files.copy(ROOT.resolve("conf/alerts.yml"), readmeRepo.resolve("conf/alerts.yml"));
    return PrometheusServer.start(readmeRepo, Path.of("conf/prometheus.yml"));
  }

  @Test
  void theShippedConfigRunTheReadmesWayScrapesEveryTierUp() {
    Processes.Result check = Processes.run(List.of("promtool", "check", "config",
      readmeRepo.resolve("conf/prometheus.yml").toString()), null, 60);
    assertThat(check.exitCode()).as(check.output()).isZero();
    readmePrometheus.awaitTargetsUp(4, Duration.ofSeconds(30));
  }

  /**
   * Every query of every panel of {@code conf/grafana/foobar.json} returns at least one series from the launcher's
   * Prometheus: no misspelt metric or label, no dead panel. Grafana's {@code $__rate_interval} becomes 30 s
   * (six 5 s scrapes).
   */
  @Test
  void everyDashboardQueryReturnsSeries() throws Exception {
    JsonObject dashboard = new JsonObject(Files.readString(ROOT.resolve("conf/grafana/foobar.json")));
    List<String> queries = new ArrayList<>();
    collect(dashboard.getJsonArray("panels"), queries);
    assertThat(queries).hasSizeGreaterThan(30);
    launchers().awaitTargetsUp(4, Duration.ofSeconds(30));
    // All of them in each round: a rate needs two scrapes in its window, after which every panel has its series.
    await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO).pollInterval(Duration.ofSeconds(1))
      .ignoreExceptions().untilAsserted(() -> assertThat(queries).filteredOn(MonitoringStackTest::empty)
        .as("dashboard queries without a series").isEmpty());
  }

  private static boolean empty(String expr) {
    try {
      return launchers().query(expr.replace("$__rate_interval", "30s")).isEmpty();
    } catch (RuntimeException e) {
      throw new IllegalStateException(expr + ": " + e.getMessage(), e);
    }
  }

  private static void collect(JsonArray panels, List<String> queries) {
    for (Object item : panels) {
      JsonObject panel = (JsonObject) item;
      if (panel.containsKey("panels")) {
        collect(panel.getJsonArray("panels"), queries);
      }
      for (Object target : panel.getJsonArray("targets", new JsonArray())) {
        queries.add(((JsonObject) target).getString("expr"));
      }
    }
  }
}
