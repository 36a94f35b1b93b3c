package com.foobar.platform.monitor.alert;

import com.foobar.platform.monitor.maintenance.Maintenance;
import com.foobar.platform.monitor.maintenance.MaintenanceBoard;
import com.foobar.platform.monitor.probe.Component;
import com.foobar.platform.monitor.probe.ComponentState;
import com.foobar.platform.monitor.probe.Observation;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The built-in rules page for incidents, not for planned work, and once per incident: a server the balancer
 * drains is in maintenance, the same server crashed is down; a database node down is one alert, not also its
 * replication; a switchover is maintenance for every database component.
 */
class OneAlertPerIncidentTest {

  private final Instant t0 = Instant.parse("2025-01-01T00:00:00Z");
  private final Instant later = t0.plusSeconds(120);
  private final Component app = Component.server("app-1");
  private final Component primary = Component.primary();
  private final Component replica = Component.replica(1);
  private final Component replication = Component.replicationOf(replica);
  private final MaintenanceBoard maintenance = new MaintenanceBoard(List.of(app, primary, replica, replication),
    new SimpleMeterRegistry());
  private final AlertRules rules = new AlertRules(
    new AlertOptions(AlertOptions.SCHEMA.bind(new JsonObject(), warning -> { })), () -> null, maintenance);

  /** A component seen up at t0 (so past its start-up) and then as {@code last} at {@code later}. */
  private ComponentState seen(Component component, Observation last) {
    ComponentState state = new ComponentState(component, 100);
    state.record(Observation.up(new JsonObject()), t0);
    state.record(last, later);
    return state;
  }

  private static Observation down(String why) {
    return Observation.down(new JsonObject(), why);
  }

  private static Observation up() {
    return Observation.up(new JsonObject().put("readOnly", true));
  }

  private List<String> names(ComponentState... states) {
    return rules.evaluate(List.of(states), null, later).stream().map(c -> c.name() + "/" + c.labelsJson().getString("component")).toList();
  }

  @Test
  void aDrainedServerIsMaintenanceAndTheSameServerCrashedIsDown() {
    assertThat(names(seen(app, down("connection refused"))))
      .containsExactly(AlertRules.SERVER_DOWN + "/app-1");

    maintenance.serversAtTheBalancer(Map.of("app-1", new Maintenance("drained at the balancer", "ops", t0)));
    assertThat(names(seen(app, down("connection refused")))).isEmpty();
    assertThat(maintenance.toJson(later).getJsonObject("app-1").getString("by")).isEqualTo("ops");
  }

  @Test
  void aReplicaDownIsOneAlertNotAlsoItsReplication() {
    assertThat(names(seen(primary, up().withLag(null)), seen(replica, down("connection refused")),
      seen(replication, down("replica replica-1 cannot be asked"))))
      .containsExactly(AlertRules.COMPONENT_DOWN + "/replica-1");
  }

  @Test
  void aSwitchoverIsMaintenanceForTheDatabaseUntilItSettles() {
    maintenance.databaseBegins("switchover to replica-1", "ops");
    assertThat(names(seen(primary, down("read_only")), seen(replication, down("IO thread Connecting")))).isEmpty();
    maintenance.databaseEnds(later.plusSeconds(10));
    assertThat(names(seen(primary, down("read_only")))).isEmpty();
    maintenance.databaseEnds(later.minusSeconds(1));
    assertThat(names(seen(primary, down("read_only"))))
      .containsExactly(AlertRules.COMPONENT_DOWN + "/primary");
  }
}
