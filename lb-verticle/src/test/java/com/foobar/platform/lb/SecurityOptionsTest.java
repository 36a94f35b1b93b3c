package com.foobar.platform.lb;

import com.foobar.platform.lb.edge.FirewallOptions;
import com.foobar.platform.lb.edge.TlsOptions;
import com.foobar.platform.common.EnvOverrides;
import com.foobar.platform.testing.RepoRoot;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** conf/lb.json maps 1:1 onto the options; the launcher's environment overrides reach the tls and firewall keys. */
class SecurityOptionsTest {

  @Test
  void theCommittedConfigIsTheDefaults() throws Exception {
    JsonObject conf = new JsonObject(Files.readString(RepoRoot.find().resolve("conf/lb.json")));
    assertThat(new LoadBalancerOptions(conf).toJson()).isEqualTo(new LoadBalancerOptions().toJson().put("backends",
      new LoadBalancerOptions(conf).toJson().getJsonArray("backends")));
    assertThat(conf.getJsonObject("tls")).isEqualTo(new TlsOptions().toJson());
    assertThat(conf.getJsonObject("firewall")).isEqualTo(new FirewallOptions().toJson());
  }

  @Test
  void environmentOverridesReachNestedKeys() {
    JsonObject applied = EnvOverrides.apply(new LoadBalancerOptions().toJson(), Map.of(
      "FOOBAR_LB_TLS_PORT", "9443",
      "FOOBAR_LB_TLS_CERTIFICATES", "[{\"cert\":\"/s/a.crt\",\"key\":\"/s/a.key\"}]",
      "FOOBAR_LB_FIREWALL_DENY", "10.0.0.0/8,2001:db8::/32",
      "FOOBAR_LB_FIREWALL_MAX_CONNECTIONS_PER_CLIENT", "50"), "FOOBAR_LB_");
    LoadBalancerOptions options = new LoadBalancerOptions(applied);
    assertThat(options.getTls().getPort()).isEqualTo(9443);
    assertThat(options.getTls().getCertificates()).containsExactly(new TlsOptions.Certificate("/s/a.crt", "/s/a.key"));
    assertThat(options.getFirewall().getDeny()).containsExactly("10.0.0.0/8", "2001:db8::/32");
    assertThat(options.getFirewall().getMaxConnectionsPerClient()).isEqualTo(50);
  }

  @Test
  void badSecurityKeysAreRejected() {
    assertThatThrownBy(() -> new LoadBalancerOptions(new JsonObject().put("tls", new JsonObject().put("cert", "x"))))
      .hasMessageContaining("unknown key 'cert'");
    assertThatThrownBy(() -> new LoadBalancerOptions(new JsonObject().put("firewall", new JsonObject()
      .put("rateLimits", new io.vertx.core.json.JsonArray().add(new JsonObject().put("prefix", "api").put("rate", 1))))))
      .hasMessageContaining("prefix must start with /");
  }
}
