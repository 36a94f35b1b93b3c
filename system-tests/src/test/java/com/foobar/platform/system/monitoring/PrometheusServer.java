package com.foobar.platform.system.monitoring;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Debian's {@code prometheus} for a test. {@link #create()} gives a temp dir to {@link #write} the configuration
 * and rule files into (rule files referenced by bare name resolve there), {@link #start()} runs it on an ephemeral
 * loopback port; the helpers read the HTTP API.
 */
public final class PrometheusServer extends LoopbackProcess {

  private PrometheusServer() {
    super("prometheus");
  }

  public static PrometheusServer create() {
    return new PrometheusServer();
  }

  /** Writes {@code prometheus.yml} and starts. */
  public static PrometheusServer start(String config) {
    PrometheusServer server = create();
    server.write("prometheus.yml", config);
    return server.start();
  }

  /** Starts with {@code prometheus.yml} from the directory, {@code /-/reload} enabled, and waits for ready. */
  public PrometheusServer start() {
    launch(List.of("prometheus", "--config.file=" + dir().resolve("prometheus.yml"),
      "--storage.tsdb.path=" + dir().resolve("data"), "--web.listen-address=127.0.0.1:" + port(),
      "--web.enable-lifecycle"));
    return this;
  }

  /** The {@code data.result} of an instant query. */
  public JsonArray query(String promql) {
    return getJson("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8))
      .getJsonObject("data").getJsonArray("result");
  }

  /** {@code /api/v1/targets}' active targets. */
  public List<JsonObject> activeTargets() {
    return objects(getJson("/api/v1/targets").getJsonObject("data").getJsonArray("activeTargets"));
  }

  /** Every loaded rule of every group, each with its {@code name}, {@code health}, {@code state}. */
  public List<JsonObject> rules() {
    return objects(getJson("/api/v1/rules").getJsonObject("data").getJsonArray("groups")).stream()
      .flatMap(group -> objects(group.getJsonArray("rules")).stream()).toList();
  }

  /** {@code /api/v1/alerts}: the pending and firing alerts, each with {@code labels} and {@code state}. */
  public List<JsonObject> alerts() {
    return objects(getJson("/api/v1/alerts").getJsonObject("data").getJsonArray("alerts"));
  }

  /** Re-reads the configuration and rule files. */
  public void reload() {
    postJson("/-/reload", "");
  }

  static List<JsonObject> objects(JsonArray array) {
    return array.stream().map(JsonObject.class::cast).toList();
  }
}
