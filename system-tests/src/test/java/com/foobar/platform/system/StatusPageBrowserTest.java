package com.foobar.platform.system;

import com.foobar.platform.testing.TempDirs;
import com.foobar.platform.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The monitor's status page in headless Chromium (Debian's {@code chromium}) over the real topology: the rendered
 * DOM shows every part, and a crashed app server in red with its alert; a screenshot at 1280x900 is kept in
 * {@code target/status-page/} for a person to look at.
 */
class StatusPageBrowserTest {

  private static final Path OUT = Path.of("target", "status-page");

  private static List<String> chromium(Path profile, String... args) {
    List<String> command = new ArrayList<>(List.of("chromium", "--headless", "--no-sandbox", "--disable-gpu",
      "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
      "--disable-sync", "--user-data-dir=" + profile, "--window-size=1280,900", "--virtual-time-budget=5000"));
    command.addAll(List.of(args));
    return command;
  }

  @Test
  void showsEveryPartAndAStoppedPartInRed() throws Exception {
    Files.createDirectories(OUT);
    Vertx vertx = Vertx.vertx();
    WebClient client = WebClient.create(vertx);
    try (Topology topology = new Topology(new JsonObject().put("alerts",
      new JsonObject().put("componentDownForSeconds", 1)))) {
      int port = topology.monitor.actualPort();
      String url = "http://127.0.0.1:" + port + "/";
      await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> "UP".equals(Await.result(
        client.get(port, "127.0.0.1", "/api/status").send(), 10).bodyAsJsonObject().getString("status")));

      String healthy = dumpDom(url);
      for (String part : List.of("browser", "synthetic", "lb", "app-1", "app-2", "primary", "replica-1")) {
        assertThat(healthy).as(part).contains(">" + part + "</span>");
      }
      assertThat(healthy).contains("class=\"box up\"").doesNotContain("class=\"box down\"")
        .contains("replication ══▶ OK").contains("No alert firing.").contains("Request rate").contains("Latency");
      screenshot(url, OUT.resolve("status-page-up.png"));

      topology.crash(1);
      await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> Await.result(
        client.get(port, "127.0.0.1", "/api/status").send(), 10).bodyAsJsonObject().getJsonObject("alerts")
        .getJsonArray("active").stream().map(JsonObject.class::cast)
        .anyMatch(alert -> "firing".equals(alert.getString("state"))));
      String degraded = dumpDom(url);
      // The app-2 box, and only it among the servers, is drawn red (class "down") and says why.
      assertThat(degraded).containsPattern("<div class=\"box down\"><h2><span>app-2</span><span class=\"state\">DOWN")
        .containsPattern("<div class=\"box up\"><h2><span>app-1</span>")
        .contains("FIRING FoobarServerDown").contains("DEGRADED");
      Path shot = OUT.resolve("status-page-app-2-down.png");
      screenshot(url, shot);
      assertThat(Files.size(shot)).isGreaterThan(10_000);
    } finally {
      Await.result(vertx.close());
    }
  }

  private static String dumpDom(String url) throws Exception {
    Path profile = TempDirs.create("foobar-chromium-");
    try {
      Processes.Result result = Processes.run(chromium(profile, "--dump-dom", url), null, 120);
      assertThat(result.exitCode()).as(result.output()).isZero();
      return result.output();
    } finally {
      TempDirs.delete(profile);
    }
  }

  private static void screenshot(String url, Path file) throws Exception {
    Path profile = TempDirs.create("foobar-chromium-");
    try {
      Processes.Result result = Processes.run(chromium(profile, "--screenshot=" + file.toAbsolutePath(), url), null,
        120);
      assertThat(result.exitCode()).as(result.output()).isZero();
      assertThat(file).exists();
    } finally {
      TempDirs.delete(profile);
    }
  }
}
