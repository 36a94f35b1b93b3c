package com.foobar.platform.monitor.probe;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ProbeMetricsTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final Component app = Component.server("app-1");
  private final Component replication = Component.replicationOf(Component.replica(1));
  private final ProbeMetrics metrics = new ProbeMetrics(registry, List.of(app, replication));

  private double gauge(String name, String... tags) {
    return registry.get(name).tags(tags).gauge().value();
  }

  @Test
  void componentUpAndFailures() {
    assertThat(registry.find("foobar_component_up").gauge()).as("nothing reads down before the first probe").isNull();

    metrics.record(app, Observation.up(new JsonObject()));
    assertThat(gauge("foobar_component_up", "component", "app-1", "kind", "server")).isEqualTo(1.0);

    metrics.record(app, Observation.down(new JsonObject(), "HTTP 503"));
    assertThat(gauge("foobar_component_up", "component", "app-1", "kind", "server")).isEqualTo(0.0);
    assertThat(registry.get("foobar_probe_failures").tag("component", "app-1").counter().count()).isEqualTo(1.0);
  }

  @Test
  void lagSeriesIsAbsentWhileTheLagIsNull() {
    JsonObject running = new JsonObject().put("ioThread", "Yes").put("sqlThread", "Yes");
    metrics.record(replication, Observation.up(running).withLag(3L));
    assertThat(gauge("foobar_replication_lag_seconds", "replica", "replica-1")).isEqualTo(3.0);
    assertThat(gauge("foobar_replication_threads_running", "replica", "replica-1", "thread", "io")).isEqualTo(1.0);

    JsonObject stopped = new JsonObject().put("ioThread", "No").put("sqlThread", "Yes");
    metrics.record(replication, Observation.down(stopped, "IO thread No"));
    assertThat(registry.find("foobar_replication_lag_seconds").gauge()).isNull();
    assertThat(gauge("foobar_replication_threads_running", "replica", "replica-1", "thread", "io")).isEqualTo(0.0);
    assertThat(gauge("foobar_replication_threads_running", "replica", "replica-1", "thread", "sql")).isEqualTo(1.0);

    metrics.record(replication, Observation.up(running).withLag(0L));
    assertThat(gauge("foobar_replication_lag_seconds", "replica", "replica-1")).isEqualTo(0.0);
  }

  @Test
  void closeRemovesEveryMeter() {
    metrics.record(replication, Observation.up(new JsonObject()).withLag(1L));
    metrics.recordDuration(app, 1_000_000);
    assertThat(registry.getMeters()).isNotEmpty();

    metrics.close();

    assertThat(registry.getMeters()).isEmpty();
  }
}
