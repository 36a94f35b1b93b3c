package com.foobar.platform.monitor.status;

import com.foobar.platform.monitor.probe.Component;
import com.foobar.platform.monitor.probe.ComponentState;
import com.foobar.platform.monitor.probe.Observation;
import com.foobar.platform.monitor.probe.RoundRecorder;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the monitor knows: every component's state in display order, the overall verdict, and the rounds done.
 * Logs each state change once, not each probe. Only touched on the monitor's event loop.
 */
public final class StatusBoard implements RoundRecorder {

  private static final Logger LOG = LoggerFactory.getLogger(StatusBoard.class);

  static final String UP = "UP";
  static final String DEGRADED = "DEGRADED";
  static final String DOWN = "DOWN";

  private final Map<String, ComponentState> states = new LinkedHashMap<>();
  private long rounds;
  private Instant lastRoundAt;

  public StatusBoard(List<Component> components, int historySize) {
    components.forEach(component -> states.put(component.name(), new ComponentState(component, historySize)));
  }

  @Override
  public void record(Component component, Observation observation, Instant at) {
    ComponentState state = states.get(component.name());
    String previousWarning = state.last() == null ? null : state.last().warning();
    boolean wasChecked = state.last() != null;
    if (state.record(observation, at)) {
      logChange(component, observation, wasChecked);
    }
    if (observation.warning() != null && !observation.warning().equals(previousWarning)) {
      LOG.warn("component {}: {}", component.name(), observation.warning());
    } else if (observation.warning() == null && previousWarning != null) {
      LOG.info("component {}: warning cleared ({})", component.name(), previousWarning);
    }
  }

  private static void logChange(Component component, Observation observation, boolean wasChecked) {
    if (!observation.up()) {
      LOG.warn("component {} is DOWN: {}", component.name(), observation.error());
    } else if (wasChecked) {
      LOG.info("component {} is UP again", component.name());
    } else {
      LOG.info("component {} is UP", component.name());
    }
  }

  @Override
  public void roundCompleted(Instant at) {
    rounds++;
    lastRoundAt = at;
  }

  /** Every component's state, in display order. */
  public Collection<ComponentState> states() {
    return states.values();
  }

  public long rounds() {
    return rounds;
  }

  /** When the last round completed, or null before the first. */
  Instant lastRoundAt() {
    return lastRoundAt;
  }

  /**
   * Whether the last round completed within {@code staleAfter}: the monitor is healthy while its data is fresh.
   * Whether the monitored components are up is what it reports, not its own health.
   */
  boolean isFresh(Duration staleAfter) {
    return lastRoundAt != null && lastRoundAt.plus(staleAfter).isAfter(Instant.now());
  }

  /** The rounds so far, for the monitor's own health checks. */
  JsonObject loopState() {
    return new JsonObject().put("rounds", rounds).put("lastRoundAt", Objects.toString(lastRoundAt, null));
  }

  /**
   * UP when every component is up; DOWN when no path can serve the site (balancer down, every server down, or
   * every database node down); DEGRADED otherwise, for example a dead replica or broken replication.
   */
  String overall() {
    if (states.values().stream().allMatch(ComponentState::isUp)) {
      return UP;
    }
    boolean balancerUp = allUp(Component.BALANCER);
    boolean anyServerUp = anyUp(Component.SERVER);
    boolean anyDatabaseUp = anyUp(Component.DATABASE);
    return balancerUp && anyServerUp && anyDatabaseUp ? DEGRADED : DOWN;
  }

  private boolean allUp(String kind) {
    return states.values().stream().filter(state -> state.component().kind().equals(kind))
      .allMatch(ComponentState::isUp);
  }

  private boolean anyUp(String kind) {
    return states.values().stream().filter(state -> state.component().kind().equals(kind))
      .anyMatch(ComponentState::isUp);
  }

  JsonObject toJson(boolean withHistory) {
    JsonArray components = new JsonArray();
    states.values().forEach(state -> components.add(state.toJson()));
    JsonObject json = new JsonObject()
      .put("status", overall())
      .put("checkedAt", Objects.toString(lastRoundAt, null))
      .put("round", rounds)
      .put("components", components);
    if (withHistory) {
      JsonObject history = new JsonObject();
      states.forEach((name, state) -> history.put(name, state.historyJson()));
      json.put("history", history);
    }
    return json;
  }
}
