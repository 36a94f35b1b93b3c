package com.foobar.platform.monitor;

import com.foobar.platform.common.EnvOverrides;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MonitorOptionsTest {

  @Test
  void defaultsAreTheLocalTopology() {
    MonitorOptions options = new MonitorOptions(new JsonObject());

    assertThat(options.getHost()).isEqualTo("127.0.0.1");
    assertThat(options.getPort()).isEqualTo(9100);
    assertThat(options.getIntervalMs()).isEqualTo(2000);
    assertThat(options.getTimeoutMs()).isEqualTo(1500);
    assertThat(options.getHistorySize()).isEqualTo(300);
    assertThat(options.getBalancer().toJson())
      .isEqualTo(new JsonObject().put("name", "lb").put("url", "http://127.0.0.1:8180/health/ready"));
    assertThat(options.getServers()).extracting(HttpTarget::toJson).containsExactly(
      new JsonObject().put("name", "app-1").put("url", "http://127.0.0.1:8181/health/ready"),
      new JsonObject().put("name", "app-2").put("url", "http://127.0.0.1:8182/health/ready"));
    assertThat(options.getPrimary().getHost()).isEqualTo("127.0.0.1");
    assertThat(options.getPrimary().getPort()).isEqualTo(13306);
    assertThat(options.getPrimary().getDatabase()).isEqualTo("foobar");
    assertThat(options.getPrimary().getUser()).isEqualTo("foobar_monitor");
    assertThat(options.getPrimary().getPassword()).as("none: the password file is used").isEmpty();
    assertThat(options.getReplicas()).hasSize(1);
    assertThat(options.getReplicas().get(0).getPort()).isEqualTo(13307);
    assertThat(options.getReplicas().get(0).getUser()).isEqualTo("foobar_monitor");
    assertThat(options.getPasswordFile()).isEqualTo("state/secrets/monitor.password");
    assertThat(options.getMaxReplicationLagSeconds()).isEqualTo(5);
  }

  @Test
  void defaultsRoundTripThroughToJson() {
    JsonObject defaults = new MonitorOptions().toJson();

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

    assertThat(options.getPrimary().getUser()).as("nodes start from the defaults").isEqualTo("foobar_monitor");
    assertThat(options.getReplicas()).extracting(node -> node.getHost() + ":" + node.getPort())
      .containsExactly("db2:13307", "db3:13307");
    assertThat(new MonitorOptions(options.toJson()).toJson()).isEqualTo(options.toJson());
  }

  @Test
  void unknownKeysAreRejected() {
    assertThatThrownBy(() -> new MonitorOptions(new JsonObject().put("intervalMS", 100)))
      .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown key 'intervalMS'");
    assertThatThrownBy(() -> new MonitorOptions(new JsonObject().put("balancer",
      new JsonObject().put("name", "lb").put("url", "http://127.0.0.1:8180/health").put("timeout", 5))))
      .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown key 'timeout'");
  }

  @Test
  void invalidValuesAreRejected() {
    assertThatThrownBy(() -> new MonitorOptions(new JsonObject().put("port", 70000)))
      .hasMessageContaining("port");
    assertThatThrownBy(() -> new MonitorOptions(new JsonObject().put("intervalMs", 0)))
      .hasMessageContaining("intervalMs");
    assertThatThrownBy(() -> new MonitorOptions(new JsonObject().put("servers", new JsonArray())))
      .hasMessageContaining("at least one");
    assertThatThrownBy(() -> new MonitorOptions().setServers(java.util.List.of(
      new HttpTarget("lb", "http://127.0.0.1:1/health")))).hasMessageContaining("used twice");
    assertThatThrownBy(() -> new MonitorOptions().setServers(java.util.List.of(
      new HttpTarget("primary", "http://127.0.0.1:1/health")))).hasMessageContaining("reserved");
    assertThatThrownBy(() -> new HttpTarget("app-1", "ftp://127.0.0.1/health")).hasMessageContaining("http(s)");
    assertThatThrownBy(() -> new HttpTarget("app 1", "http://127.0.0.1/health")).hasMessageContaining("must match");
  }

  @Test
  void environmentOverridesApply() {
    JsonObject merged = EnvOverrides.apply(new MonitorOptions().toJson(), Map.of(
      "FOOBAR_MONITOR_PORT", "9200",
      "FOOBAR_MONITOR_INTERVAL_MS", "500",
      "FOOBAR_MONITOR_SERVERS_1_URL", "http://10.0.0.2:8182/health",
      "FOOBAR_MONITOR_REPLICAS_0_PORT", "23307",
      "FOOBAR_MONITOR_PRIMARY_PASSWORD", "s3cret",
      "FOOBAR_MONITOR_MAX_REPLICATION_LAG_SECONDS", "10",
      "FOOBAR_APP_PORT", "1"), MonitorVerticle.ENV_PREFIX);

    MonitorOptions options = new MonitorOptions(merged);

    assertThat(options.getPort()).isEqualTo(9200);
    assertThat(options.getIntervalMs()).isEqualTo(500);
    assertThat(options.getServers().get(1).url()).isEqualTo("http://10.0.0.2:8182/health");
    assertThat(options.getReplicas().get(0).getPort()).isEqualTo(23307);
    assertThat(options.getPrimary().getPassword()).isEqualTo("s3cret");
    assertThat(options.getMaxReplicationLagSeconds()).isEqualTo(10);
  }
}
