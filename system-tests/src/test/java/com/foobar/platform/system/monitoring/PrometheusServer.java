package com.foobar.platform.system.monitoring;

import com.foobar.platform.testing.FreePorts;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real Prometheus (Debian's {@code prometheus}) for a test: one the test starts on a free loopback port from a
 * configuration file ({@link #start}), or one already running, such as {@code ./foobar up}'s ({@link #at}); and
 * the parts of its HTTP API the tests read (targets, rules, Alertmanagers, instant queries).
 */
public final class PrometheusServer implements AutoCloseable {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final int port;
  private final Process process;

  private PrometheusServer(int port, Process process) {
    this.port = port;
    this.process = process;
  }

  /**
   * Runs {@code prometheus --config.file=config} from {@code workDir} (relative paths in the file, such as a
   * {@code credentials_file}, resolve from the file's directory as always), its data and output in
   * {@code workDir}.
   */
  public static PrometheusServer start(Path workDir, Path config) {
    int port = FreePorts.next();
    try {
      Process process = new ProcessBuilder("prometheus", "--config.file=" + config,
        "--storage.tsdb.path=" + workDir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
        .directory(workDir.toFile()).redirectErrorStream(true)
        .redirectOutput(workDir.resolve("prometheus.log").toFile()).start();
      return new PrometheusServer(port, process);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A Prometheus this test did not start (closing it does nothing). */
  public static PrometheusServer at(int port) {
    return new PrometheusServer(port, null);
  }

  public int port() {
    return port;
  }

  /** The JSON answer of {@code GET pathAndQuery}. */
  public JsonObject get(String pathAndQuery) {
    try {
      return new JsonObject(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The series an instant query returns now. */
  public JsonArray query(String promql) {
    return get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8))
      .getJsonObject("data").getJsonArray("result");
  }

  public JsonArray activeTargets() {
    return get("/api/v1/targets?state=active").getJsonObject("data").getJsonArray("activeTargets");
  }

  /** Every rule of every group, as {@code /api/v1/rules} lists them. */
  public List<JsonObject> rules() {
    return get("/api/v1/rules").getJsonObject("data").getJsonArray("groups").stream().map(JsonObject.class::cast)
      .flatMap(group -> group.getJsonArray("rules").stream()).map(JsonObject.class::cast).toList();
  }

  /** The URLs of the Alertmanagers it sends to. */
  public List<String> alertmanagers() {
    return get("/api/v1/alertmanagers").getJsonObject("data").getJsonArray("activeAlertmanagers").stream()
      .map(am -> ((JsonObject) am).getString("url")).toList();
  }

  /** Waits until exactly {@code count} targets are active, every one {@code health: up}. */
  public void awaitTargetsUp(int count, Duration within) {
    await().atMost(within).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
      .untilAsserted(() -> assertThat(activeTargets()).hasSize(count).allSatisfy(target ->
        assertThat(((JsonObject) target).getString("health")).as(((JsonObject) target).encode()).isEqualTo("up")));
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null) {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  /** The objects of a JSON array the HTTP APIs answer (targets, rules, alerts). */
  static List<JsonObject> objects(JsonArray array) {
    return array.stream().map(JsonObject.class::cast).toList();
  }
}
