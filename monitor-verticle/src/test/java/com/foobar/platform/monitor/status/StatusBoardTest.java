package com.foobar.platform.monitor.status;

import com.foobar.platform.monitor.probe.Component;
import com.foobar.platform.monitor.probe.Observation;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StatusBoardTest {

  private final Component lb = Component.balancer("lb");
  private final Component app1 = Component.server("app-1");
  private final Component app2 = Component.server("app-2");
  private final Component primary = Component.primary();
  private final Component replica = Component.replica(1);
  private final Component replication = Component.replicationOf(replica);
  private final StatusBoard board = new StatusBoard(List.of(lb, app1, app2, primary, replica, replication), 3);
  private final Instant t0 = Instant.parse("2025-01-01T00:00:00Z");

  private void all(boolean lbUp, boolean app1Up, boolean app2Up, boolean primaryUp, boolean replicaUp,
                   boolean replicationUp) {
    record(lb, lbUp);
    record(app1, app1Up);
    record(app2, app2Up);
    record(primary, primaryUp);
    record(replica, replicaUp);
    record(replication, replicationUp);
    board.roundCompleted(t0);
  }

  private void record(Component component, boolean up) {
    board.record(component, up ? Observation.up(new JsonObject()) : Observation.down(new JsonObject(), "down"), t0);
  }

  @Test
  void upWhenEverythingIsUp() {
    all(true, true, true, true, true, true);
    assertThat(board.overall()).isEqualTo("UP");
  }

  @Test
  void degradedWhileSomePathStillServes() {
    all(true, true, false, true, true, true);
    assertThat(board.overall()).isEqualTo("DEGRADED");
    all(true, true, true, false, true, false);
    assertThat(board.overall()).as("primary down, replica serves reads").isEqualTo("DEGRADED");
    all(true, true, true, true, true, false);
    assertThat(board.overall()).as("replication broken").isEqualTo("DEGRADED");
  }

  @Test
  void downWhenNoPathServesTheSite() {
    all(false, true, true, true, true, true);
    assertThat(board.overall()).as("balancer down").isEqualTo("DOWN");
    all(true, false, false, true, true, true);
    assertThat(board.overall()).as("all servers down").isEqualTo("DOWN");
    all(true, true, true, false, false, false);
    assertThat(board.overall()).as("all databases down").isEqualTo("DOWN");
  }

  @Test
  void sinceMovesOnlyOnAChangeAndHistoryIsBounded() {
    Instant t1 = t0.plusSeconds(1);
    Instant t2 = t0.plusSeconds(2);
    Instant t3 = t0.plusSeconds(3);
    board.record(replication, Observation.up(new JsonObject()).withLag(0L), t0);
    board.record(replication, Observation.up(new JsonObject()).withLag(1L), t1);
    board.record(replication, Observation.down(new JsonObject(), "Seconds_Behind_Master is NULL"), t2);
    board.record(replication, Observation.down(new JsonObject(), "Seconds_Behind_Master is NULL"), t3);
    board.roundCompleted(t3);

    JsonObject json = board.toJson(true);
    JsonObject component = json.getJsonArray("components").getJsonObject(5);
    assertThat(component.getString("name")).isEqualTo("replication-replica-1");
    assertThat(component.getString("node")).isEqualTo("replica-1");
    assertThat(component.getBoolean("up")).isFalse();
    assertThat(component.getString("since")).isEqualTo(t2.toString());
    assertThat(component.getString("checkedAt")).isEqualTo(t3.toString());
    assertThat(json.getJsonObject("history").getJsonArray("replication-replica-1"))
      .extracting(sample -> ((JsonObject) sample).getLong("t"))
      .containsExactly(t1.toEpochMilli(), t2.toEpochMilli(), t3.toEpochMilli());
    assertThat(json.getJsonObject("history").getJsonArray("replication-replica-1").getJsonObject(0).getLong("lagSeconds"))
      .isEqualTo(1L);
    assertThat(board.toJson(false).containsKey("history")).isFalse();
  }
}
