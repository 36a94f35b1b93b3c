package com.foobar.platform.monitor.alert;

import com.foobar.platform.monitor.maintenance.MaintenanceBoard;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import com.foobar.platform.monitor.probe.Component;
import com.foobar.platform.monitor.probe.ComponentState;
import com.foobar.platform.monitor.probe.Observation;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A component that has not been healthy yet is starting: no alert until its first healthy round or the bound. */
class StartupWindowTest {

  private final Instant t0 = Instant.parse("2025-01-01T00:00:00Z");
  private final AlertRules rules = new AlertRules(
    new AlertOptions(AlertOptions.SCHEMA.bind(new JsonObject(), warning -> { })), () -> null,
    new MaintenanceBoard(List.of(), new SimpleMeterRegistry()));

  @Test
  void aStartingComponentRaisesNothingUntilTheBoundThenIsDown() {
    ComponentState app = new ComponentState(Component.server("app-1"), 100);
    app.record(Observation.down(new JsonObject(), "connection refused"), t0);
    assertThat(app.toJson().getBoolean("starting")).isTrue();
    assertThat(rules.evaluate(List.of(app), null, t0.plusSeconds(5))).isEmpty();
    assertThat(rules.evaluate(List.of(app), null, t0.plus(AlertRules.STARTUP_BOUND).plusSeconds(1)))
      .extracting(condition -> condition.labels().get("alertname")).containsExactly(AlertRules.SERVER_DOWN);
  }

  @Test
  void failuresBeforeTheFirstHealthyRoundDoNotCountTowardsTheSyntheticErrorRatio() {
    ComponentState synthetic = new ComponentState(Component.synthetic(), 100);
    for (int second = 0; second < 5; second++) {
      synthetic.record(Observation.down(new JsonObject(), "balancer not listening yet"), t0.plusSeconds(second));
    }
    for (int second = 5; second < 20; second++) {
      synthetic.record(Observation.up(new JsonObject()), t0.plusSeconds(second));
    }
    assertThat(synthetic.toJson().getBoolean("starting")).isFalse();
    assertThat(synthetic.samplesSince(t0.minusSeconds(1)).failed()).isZero();
    assertThat(rules.evaluate(List.of(synthetic), null, t0.plusSeconds(20))).isEmpty();
  }
}
