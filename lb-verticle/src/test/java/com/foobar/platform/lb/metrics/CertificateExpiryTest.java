package com.foobar.platform.lb.metrics;

import com.foobar.platform.lb.TestCertificates;
import com.foobar.platform.lb.LoadBalancerOptions;
import com.foobar.platform.lb.edge.TlsOptions;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The expiry gauge reads each serving certificate's notAfter, follows a renewed file and a reload's list. */
class CertificateExpiryTest {

  @TempDir
  Path dir;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private void certificate(String name, int days) throws Exception {
    TestCertificates.make(dir, name, days);
  }

  private TlsOptions tls(String... names) {
    JsonArray certificates = new JsonArray();
    for (String name : names) {
      certificates.add(new JsonObject().put("cert", dir.resolve(name + ".crt").toString())
        .put("key", dir.resolve(name + ".key").toString()));
    }
    JsonObject json = new JsonObject().put("tls", new JsonObject().put("certificates", certificates));
    return new LoadBalancerOptions(LoadBalancerOptions.SCHEMA.bind(json, warning -> { })).tls();
  }

  private double days(String name) {
    Gauge gauge = registry.find("foobar_lb_tls_certificate_expiry_seconds")
      .tag("certificate", dir.resolve(name + ".crt").toString()).gauge();
    assertThat(gauge).as(name).isNotNull();
    return gauge.value() / 86_400;
  }

  @Test
  void reportsTheDaysLeftOfEachCertificateAndFollowsRenewalsAndReloads() throws Exception {
    certificate("a", 30);
    certificate("b", 2);
    CertificateExpiry expiry = new CertificateExpiry(registry);
    expiry.track(tls("a", "b"));
    assertThat(days("a")).isCloseTo(30, within(0.01));
    assertThat(days("b")).isCloseTo(2, within(0.01));

    certificate("b", 90); // renewed in place
    assertThat(days("b")).isCloseTo(90, within(0.01));

    expiry.track(tls("b")); // a reload dropped a
    assertThat(registry.find("foobar_lb_tls_certificate_expiry_seconds").gauges()).hasSize(1);
    expiry.track(tls());
    assertThat(registry.find("foobar_lb_tls_certificate_expiry_seconds").gauges()).isEmpty();
  }
}
