package com.foobar.platform.monitor.traffic;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExpositionTest {

  @Test
  void parsesExpositionStrictly() {
    List<Exposition.Sample> samples = Exposition.parse("# HELP x y\n# TYPE x counter\n"
      + "vertx_http_server_requests_total{code=\"503\",local=\"127.0.0.1:8080\",route=\"\"} 2.0\nup 1\n");
    assertThat(samples).hasSize(2);
    assertThat(samples.get(0).labels()).containsEntry("code", "503").containsEntry("route", "");
    assertThat(samples.get(0).value()).isEqualTo(2.0);
    assertThatThrownBy(() -> Exposition.parse("bad{x=\"1\" 1\n")).isInstanceOf(IllegalArgumentException.class);
  }
}
