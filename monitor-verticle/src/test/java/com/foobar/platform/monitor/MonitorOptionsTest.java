package com.foobar.platform.monitor;

import com.foobar.platform.common.TierConfig;
import com.foobar.platform.common.config.ConfigException;
import com.foobar.platform.common.config.Problems;
import com.foobar.platform.monitor.probe.HttpTarget;
import com.foobar.platform.testing.ReadmeKeys;
import com.foobar.platform.testing.RepoRoot;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MonitorOptionsTest {

  private static MonitorOptions options(Map<String, String> environment) {
    return options(new JsonObject(), environment);
  }

  /** As a start binds them: the file over the defaults, then the environment. */
  private static MonitorOptions options(JsonObject file, Map<String, String> environment) {
    Problems problems = new Problems();
    var settings = TierConfig.bind(MonitorOptions.SCHEMA, file, environment, MonitorVerticle.ENV_PREFIX, problems);
    problems.throwIfErrors(MonitorOptions.SCHEMA.what(), warning -> { });
    return new MonitorOptions(settings);
  }

  @Test
  void defaultsAreTheLocalTopology() {
    MonitorOptions options = new MonitorOptions(new JsonObject());

    assertThat(options.host()).isEqualTo("127.0.0.1");
    assertThat(options.httpServerOptions().getPort()).isEqualTo(8190);
    assertThat(options.intervalMs()).isEqualTo(2000);
    assertThat(options.timeoutMs()).isEqualTo(1500);
    assertThat(options.historySize()).isEqualTo(300);
    assertThat(options.balancer().toJson())
      .isEqualTo(new JsonObject().put("name", "lb").put("url", "http://127.0.0.1:8180/health/ready"));
    assertThat(options.servers()).extracting(HttpTarget::toJson).containsExactly(
      new JsonObject().put("name", "app-1").put("url", "http://127.0.0.1:8181/health/ready"),
      new JsonObject().put("name", "app-2").put("url", "http://127.0.0.1:8182/health/ready"));
    assertThat(options.primary().getHost()).isEqualTo("127.0.0.1");
    assertThat(options.primary().getPort()).isEqualTo(13306);
    assertThat(options.primary().getDatabase()).isEqualTo("foobar");
    assertThat(options.primary().getUser()).isEqualTo("foobar_monitor");
    assertThat(options.primary().getPassword()).as("none: the password file is used").isEmpty();
    assertThat(options.replicas()).hasSize(1);
    assertThat(options.replicas().get(0).getPort()).isEqualTo(13307);
    assertThat(options.replicas().get(0).getUser()).isEqualTo("foobar_monitor");
    assertThat(options.passwordFile()).isEqualTo("state/secrets/monitor.password");
    assertThat(options.maxReplicationLagSeconds()).isEqualTo(5);
    assertThat(options.failover().failAfterMs()).isEqualTo(5000);
    assertThat(options.failover().checkIntervalMs()).isEqualTo(1000);
    assertThat(options.failover().connectTimeoutMs()).isEqualTo(1000);
  }

  @Test
  void defaultsRoundTripThroughToJson() {
    JsonObject defaults = MonitorOptions.SCHEMA.defaults().toJson();

    assertThat(new MonitorOptions(defaults).toJson()).isEqualTo(defaults);
    assertThat(new MonitorOptions(new JsonObject()).toJson()).isEqualTo(defaults);
    assertThat(defaults.containsKey("password")).isFalse();
  }

  @Test
  void aConfiguredTopologyRoundTrips() {
    JsonObject json = new JsonObject()
      .put("port", 0).put("intervalMs", 300).put("timeoutMs", 250).put("historySize", 10)
      .put("balancer", new JsonObject().put("name", "edge").put("url", "https://lb.example:8443/health"))
      .put("servers", new JsonArray().add(new JsonObject().put("name", "web-a").put("url", "http://10.0.0.5:8181/h")))
      .put("primary", new JsonObject().put("host", "db1").put("port", 3306))
      .put("replicas", new JsonArray().add(new JsonObject().put("host", "db2")).add(new JsonObject().put("host", "db3")))
      .put("maxReplicationLagSeconds", 30);

    MonitorOptions options = new MonitorOptions(json);

    assertThat(options.primary().getUser()).as("nodes start from the defaults").isEqualTo("foobar_monitor");
    assertThat(options.replicas()).extracting(node -> node.getHost() + ":" + node.getPort())
      .containsExactly("db2:13307", "db3:13307");
    assertThat(new MonitorOptions(options.toJson()).toJson()).isEqualTo(options.toJson());
  }

  @Test
  void unknownKeysAreRejected() {
    assertThatThrownBy(() -> new MonitorOptions(new JsonObject().put("intervalMS", 100)))
      .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("intervalMS: unknown key");
    assertThatThrownBy(() -> new MonitorOptions(new JsonObject().put("balancer",
      new JsonObject().put("name", "lb").put("url", "http://127.0.0.1:8180/health").put("timeout", 5))))
      .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown key 'timeout'");
    assertThatThrownBy(() -> new MonitorOptions(new JsonObject().put("alerts", new JsonObject().put("x", 1))))
      .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("alerts.x: unknown key");
    assertThatThrownBy(() -> new MonitorOptions(new JsonObject().put("primary", new JsonObject().put("prot", 1))))
      .hasMessageContaining("primary.prot: unknown key; did you mean 'port'?");
    assertThatThrownBy(() -> new MonitorOptions(new JsonObject().put("replicas",
      new JsonArray().add(new JsonObject().put("port", "x"))))).hasMessageContaining("replicas[0].port");
  }

  @Test
  void invalidValuesAreRejected() {
    assertThatThrownBy(() -> new MonitorOptions(new JsonObject().put("port", 70000)))
      .hasMessageContaining("port");
    assertThatThrownBy(() -> new MonitorOptions(new JsonObject().put("intervalMs", 0)))
      .hasMessageContaining("intervalMs");
    assertThatThrownBy(() -> new MonitorOptions(new JsonObject().put("servers", new JsonArray())))
      .hasMessageContaining("at least one");
    assertThatThrownBy(() -> new MonitorOptions(new JsonObject().put("servers", new JsonArray()
      .add(target("lb", "http://127.0.0.1:1/health"))))).isInstanceOf(ConfigException.class)
      .hasMessageContaining("used twice");
    assertThatThrownBy(() -> new MonitorOptions(new JsonObject().put("servers", new JsonArray()
      .add(target("primary", "http://127.0.0.1:1/health"))))).hasMessageContaining("reserved");
    assertThatThrownBy(() -> HttpTarget.parse(target("app-1", "ftp://127.0.0.1/health")))
      .hasMessageContaining("http(s)");
    assertThatThrownBy(() -> HttpTarget.parse(target("app 1", "http://127.0.0.1/health")))
      .hasMessageContaining("must match");
  }

  private static JsonObject target(String name, String url) {
    return new JsonObject().put("name", name).put("url", url);
  }

  @Test
  void environmentOverridesApply() {
    MonitorOptions options = options(Map.of(
      "FOOBAR_MONITOR_PORT", "9200",
      "FOOBAR_MONITOR_INTERVAL_MS", "500",
      "FOOBAR_MONITOR_SERVERS_1_URL", "http://10.0.0.2:8182/health",
      "FOOBAR_MONITOR_REPLICAS_0_PORT", "23307",
      "FOOBAR_MONITOR_PRIMARY_PASSWORD", "s3cret",
      "FOOBAR_MONITOR_MAX_REPLICATION_LAG_SECONDS", "10",
      "FOOBAR_MONITOR_FAILOVER_CHECK_INTERVAL_MS", "300",
      "FOOBAR_APP_PORT", "1"));

    assertThat(options.httpServerOptions().getPort()).isEqualTo(9200);
    assertThat(options.intervalMs()).isEqualTo(500);
    assertThat(options.servers().get(1).url()).isEqualTo("http://10.0.0.2:8182/health");
    assertThat(options.replicas().get(0).getPort()).isEqualTo(23307);
    assertThat(options.primary().getPassword()).isEqualTo("s3cret");
    assertThat(options.maxReplicationLagSeconds()).isEqualTo(10);
    assertThat(options.failover().checkIntervalMs()).isEqualTo(300);
  }

  /** failAfter, checkInterval and connectTimeout were in ms without saying so; their old names still load. */
  @Test
  void theFailoverDurationsCarryTheirUnitAndTheOldNamesStillLoadWithAWarning() {
    List<String> warnings = new ArrayList<>();
    MonitorOptions options = new MonitorOptions(MonitorOptions.SCHEMA.bind(new JsonObject().put("failover",
      new JsonObject().put("failAfter", 3000).put("checkInterval", 200).put("connectTimeout", 500)), warnings::add));
    assertThat(options.failover().failAfterMs()).isEqualTo(3000);
    assertThat(options.failover().checkIntervalMs()).isEqualTo(200);
    assertThat(options.failover().connectTimeoutMs()).isEqualTo(500);
    assertThat(warnings).containsExactlyInAnyOrder("failover.failAfter is a former name: write failAfterMs",
      "failover.checkInterval is a former name: write checkIntervalMs",
      "failover.connectTimeout is a former name: write connectTimeoutMs");

    assertThat(options(Map.of("FOOBAR_MONITOR_FAILOVER_FAIL_AFTER", "700")).failover().failAfterMs()).isEqualTo(700);
  }

  /** The shipped file holds exactly the declared keys under their current names, and loads. */
  @Test
  void theShippedConfigurationLoadsWithoutWarnings() throws IOException {
    JsonObject shipped = new JsonObject(Files.readString(RepoRoot.find().resolve("conf/monitor.json")));
    List<String> warnings = new ArrayList<>();
    MonitorOptions options = new MonitorOptions(MonitorOptions.SCHEMA.bind(shipped, warnings::add));
    assertThat(warnings).isEmpty();
    assertThat(options.failover().enabled()).isTrue();
    assertThat(options.failover().failAfterMs()).isEqualTo(3000);
  }

  @Test
  void theReadmeTableIsTheDeclarations() {
    ReadmeKeys.assertMatches("monitor", MonitorOptions.SCHEMA);
  }
}
