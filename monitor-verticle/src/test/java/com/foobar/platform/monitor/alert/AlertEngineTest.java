package com.foobar.platform.monitor.alert;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Prometheus-style pending/firing/resolved semantics and de-duplication. */
class AlertEngineTest {

  private final AlertEngine engine = new AlertEngine();
  private final Instant t0 = Instant.parse("2025-01-01T00:00:00Z");

  private static AlertCondition down(String component, int forSeconds) {
    return new AlertCondition(Map.of("alertname", "FoobarComponentDown", "component", component), "down",
      component + " is down", forSeconds);
  }

  @Test
  void pendsForItsDurationFiresOnceAndResolvesOnce() {
    assertThat(engine.update(List.of(down("app-2", 2)), t0).isEmpty()).isTrue();
    assertThat(engine.toJson().getJsonArray("active").getJsonObject(0).getString("state")).isEqualTo("pending");
    assertThat(engine.update(List.of(down("app-2", 2)), t0.plusSeconds(1)).isEmpty()).isTrue();
    AlertEngine.Transitions fired = engine.update(List.of(down("app-2", 2)), t0.plusSeconds(2));
    assertThat(fired.fired()).hasSize(1);
    assertThat(fired.fired().get(0).condition().key()).isEqualTo("FoobarComponentDown{component=\"app-2\"}");
    assertThat(engine.update(List.of(down("app-2", 2)), t0.plusSeconds(3)).isEmpty()).as("no duplicate").isTrue();
    assertThat(engine.firingByName()).containsEntry("FoobarComponentDown", 1).containsEntry("FoobarSiteSlow", 0);

    AlertEngine.Transitions resolved = engine.update(List.of(), t0.plusSeconds(4));
    assertThat(resolved.resolved()).hasSize(1);
    assertThat(engine.update(List.of(), t0.plusSeconds(5)).isEmpty()).isTrue();
    JsonObject json = engine.toJson();
    assertThat(json.getJsonArray("active")).isEmpty();
    assertThat(json.getJsonArray("resolved").getJsonObject(0).getString("state")).isEqualTo("resolved");
  }

  @Test
  void aBreakBeforeItsDurationResetsThePendingAlertWithoutNotifying() {
    engine.update(List.of(down("lb", 2)), t0);
    assertThat(engine.update(List.of(), t0.plusSeconds(1)).isEmpty()).isTrue();
    assertThat(engine.update(List.of(down("lb", 2)), t0.plusSeconds(2)).isEmpty()).as("pending again from 2 s").isTrue();
    assertThat(engine.update(List.of(down("lb", 2)), t0.plusSeconds(4)).fired()).hasSize(1);
  }
}
