package com.foobar.platform.lb;

import com.foobar.platform.common.config.ConfigException;
import com.foobar.platform.testing.ReadmeKeys;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The balancer's keys, declared once: the README's table, former names, every problem at once, the reload plan. */
class LoadBalancerOptionsTest {

  @Test
  void theReadmeTableIsMadeFromTheDeclarations() {
    ReadmeKeys.assertMatches("lb", LoadBalancerOptions.SCHEMA);
  }

  @Test
  void durationsCarryTheirUnitAndTheOldNamesStillLoadWithAWarning() {
    JsonObject old = new JsonObject().put("connectTimeout", 700).put("slowStart", 0).put("shutdownTimeout", 9000)
      .put("tls", new JsonObject().put("reloadInterval", 250))
      .put("firewall", new JsonObject().put("expire", 5000));
    List<String> warnings = new ArrayList<>();
    LoadBalancerOptions options = new LoadBalancerOptions(LoadBalancerOptions.SCHEMA.bind(old, warnings::add));
    assertThat(options.connectTimeoutMs()).isEqualTo(700);
    assertThat(options.slowStartMs()).isZero();
    assertThat(options.shutdownTimeoutMs()).isEqualTo(9000);
    assertThat(options.tls().reloadIntervalMs()).isEqualTo(250);
    assertThat(options.firewall().toJson().getInteger("expireMs")).isEqualTo(5000);
    assertThat(warnings).containsExactlyInAnyOrder(
      "connectTimeout is a former name: write connectTimeoutMs",
      "slowStart is a former name: write slowStartMs",
      "shutdownTimeout is a former name: write shutdownTimeoutMs",
      "tls.reloadInterval is a former name: write reloadIntervalMs",
      "firewall.expire is a former name: write expireMs");
  }

  @Test
  void everyProblemIsNamedAtOnceWithItsPath() {
    JsonObject broken = new JsonObject().put("port", "80a").put("connectTimeoutMs", 5).put("balance", "random")
      .put("backends", new JsonArray().add("no-port").add(new JsonObject().put("address", "h:1").put("weight", 0)))
      .put("tls", new JsonObject().put("certificates", new JsonArray().add(new JsonObject().put("crt", "a"))))
      .put("firewall", new JsonObject().put("deny", new JsonArray().add("10.0.0.0/33")).put("tableSiz", 3))
      .put("management", new JsonObject().put("port", "x"));
    ConfigException e = catchThrowableOfType(() -> LoadBalancerOptions.fromJson(broken), ConfigException.class);
    assertThat(e.problems()).hasSize(10);
    assertThat(String.join("\n", e.problems()))
      .contains("port: expected an integer from 0 to 65535, got a string \"80a\"")
      .contains("connectTimeoutMs: must be from 10 to 600000 ms, got 5")
      .contains("balance: must be one of roundrobin, leastconn, got 'random'")
      .contains("backends[0]: expected").contains("'no-port' is not host:port")
      .contains("backends[1]: expected").contains("weight must be between 1 and 256")
      .contains("tls.certificates[0].crt: unknown key; did you mean 'cert'?")
      .contains("tls.certificates[0]: needs both cert and key")
      .contains("firewall.deny[0]: expected an IPv4 or IPv6 address or CIDR")
      .contains("firewall.tableSiz: unknown key; did you mean 'tableSize'?")
      .contains("management.port: expected a number");
  }

  @Test
  void keysThatDependOnEachOtherAreCheckedToo() {
    ConfigException e = catchThrowableOfType(() -> LoadBalancerOptions.fromJson(new JsonObject()
      .put("keepAliveTimeoutSeconds", 20).put("shutdownTimeoutMs", 5000)), ConfigException.class);
    assertThat(e.problems()).singleElement().asString().startsWith("keepAliveTimeoutSeconds: 20 s must not be longer");
    assertThat(LoadBalancerOptions.fromJson(new JsonObject().put("backends", new JsonArray())).backends())
      .as("a clustered balancer may discover all its servers").isEmpty();
    assertThat(LoadBalancerOptions.fromJson(new JsonObject().put("backends", new JsonArray())).problems(false))
      .singleElement().asString().startsWith("backends is empty");
  }

  @Test
  void aReloadAppliesTheLiveKeysAndKeepsTheRestUntilARestart() {
    LoadBalancerOptions running = LoadBalancerOptions.fromJson(new JsonObject());
    LoadBalancerOptions next = LoadBalancerOptions.fromJson(new JsonObject().put("connectTimeoutMs", 2000)
      .put("port", 9999).put("retries", 1).put("backendTimeoutMs", 100)
      .put("firewall", new JsonObject().put("maxConnectionsPerClient", 7))
      .put("tls", new JsonObject().put("port", 9443)));
    ReloadPlan plan = ReloadPlan.of(running, next);
    assertThat(plan.applied()).containsExactlyInAnyOrder("connectTimeoutMs", "retries", "firewall");
    assertThat(plan.needsRestart()).containsExactlyInAnyOrder("port", "backendTimeoutMs", "tls.port");
    assertThat(plan.effective().connectTimeoutMs()).isEqualTo(2000);
    assertThat(plan.effective().port()).as("kept until a restart").isEqualTo(8080);
    assertThat(plan.effective().backendTimeoutMs()).isEqualTo(30_000);
    assertThat(plan.effective().tls().port()).isEqualTo(8443);
    assertThat(plan.effective().firewall().toJson().getInteger("maxConnectionsPerClient")).isEqualTo(7);
    assertThat(plan.certificatesChanged()).isFalse();
  }
}
