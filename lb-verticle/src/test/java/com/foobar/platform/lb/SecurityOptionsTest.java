package com.foobar.platform.lb;

import com.foobar.platform.common.TierConfig;
import com.foobar.platform.common.config.Key;
import com.foobar.platform.common.config.Problems;
import com.foobar.platform.common.config.Settings;
import com.foobar.platform.lb.edge.FirewallOptions;
import com.foobar.platform.lb.edge.TlsOptions;
import com.foobar.platform.testing.RepoRoot;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** conf/lb.json maps 1:1 onto the options; the launcher's environment overrides reach the tls and firewall keys. */
class SecurityOptionsTest {

  @Test
  void theCommittedConfigIsTheDefaults() throws Exception {
    JsonObject conf = new JsonObject(Files.readString(RepoRoot.find().resolve("conf/lb.json")));
    List<String> warnings = new ArrayList<>();
    Settings bound = LoadBalancerOptions.SCHEMA.bind(conf, warnings::add);
    assertThat(warnings).as("conf/lb.json uses no former key names").isEmpty();
    assertThat(conf.fieldNames()).as("conf/lb.json names every key")
      .containsExactlyInAnyOrderElementsOf(LoadBalancerOptions.SCHEMA.keys().stream().map(Key::name).toList());
    assertThat(bound.toJson()).isEqualTo(LoadBalancerOptions.SCHEMA.defaults().toJson()
      .put("backends", bound.toJson().getJsonArray("backends")));
    assertThat(conf.getJsonObject("tls")).isEqualTo(TlsOptions.SCHEMA.defaults().toJson());
    assertThat(conf.getJsonObject("firewall")).isEqualTo(FirewallOptions.SCHEMA.defaults().toJson());
  }

  @Test
  void environmentOverridesReachNestedKeys() {
    Problems problems = new Problems();
    Settings settings = TierConfig.bind(LoadBalancerOptions.SCHEMA, new JsonObject(), Map.of(
      "FOOBAR_LB_TLS_PORT", "9443",
      "FOOBAR_LB_TLS_CERTIFICATES", "[{\"cert\":\"/s/a.crt\",\"key\":\"/s/a.key\"}]",
      "FOOBAR_LB_FIREWALL_DENY", "10.0.0.0/8,2001:db8::/32",
      "FOOBAR_LB_FIREWALL_MAX_CONNECTIONS_PER_CLIENT", "50"), LoadBalancerVerticle.ENV_PREFIX, problems);
    assertThat(problems.errors()).isEmpty();
    LoadBalancerOptions options = new LoadBalancerOptions(settings);
    assertThat(options.tls().port()).isEqualTo(9443);
    assertThat(options.tls().certificates()).containsExactly(new TlsOptions.Certificate("/s/a.crt", "/s/a.key"));
    assertThat(options.firewall().toJson().getJsonArray("deny"))
      .isEqualTo(new JsonArray().add("10.0.0.0/8").add("2001:db8::/32"));
    assertThat(options.firewall().toJson().getInteger("maxConnectionsPerClient")).isEqualTo(50);
  }

  @Test
  void badSecurityKeysAreRejected() {
    assertThatThrownBy(() -> LoadBalancerOptions.fromJson(new JsonObject().put("tls", new JsonObject().put("cert", "x"))))
      .hasMessageContaining("tls.cert: unknown key");
    assertThatThrownBy(() -> LoadBalancerOptions.fromJson(new JsonObject().put("firewall", new JsonObject()
      .put("rateLimits", new JsonArray().add(new JsonObject().put("prefix", "api").put("rate", 1))))))
      .hasMessageContaining("prefix: must start with /");
  }
}
