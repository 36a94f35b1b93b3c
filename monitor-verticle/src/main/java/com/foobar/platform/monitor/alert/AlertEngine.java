package com.foobar.platform.monitor.alert;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Alert state across rounds, with Prometheus' semantics: a condition is pending from the round it first holds,
 * fires once it has held for its {@code for} duration without a break, and resolves in the first round it no
 * longer holds. Each alert fires and resolves once per episode (de-duplicated by its labels); the
 * {@link AlertNotifier} is told only of those transitions. Only touched on the monitor's event loop.
 */
final class AlertEngine {

  /** Resolved alerts kept for the page and {@code /api/status}. */
  static final int RESOLVED_KEPT = 20;

  /** One alert being tracked. */
  static final class Active {
    private final AlertCondition condition;
    private final Instant activeAt;
    private Instant firingAt;
    private Instant resolvedAt;

    Active(AlertCondition condition, Instant activeAt) {
      this.condition = condition;
      this.activeAt = activeAt;
    }

    AlertCondition condition() {
      return condition;
    }

    /** When it fired, or null while pending. */
    Instant firingAt() {
      return firingAt;
    }

    /** When it resolved, or null while it holds. */
    Instant resolvedAt() {
      return resolvedAt;
    }

    boolean firing() {
      return firingAt != null && resolvedAt == null;
    }

    JsonObject toJson() {
      return new JsonObject().put("alertname", condition.name()).put("key", condition.key())
        .put("state", resolvedAt != null ? "resolved" : firingAt != null ? "firing" : "pending")
        .put("labels", condition.labelsJson()).put("annotations", condition.annotationsJson())
        .put("activeAt", activeAt.toString()).put("firingAt", firingAt == null ? null : firingAt.toString())
        .put("resolvedAt", resolvedAt == null ? null : resolvedAt.toString());
    }
  }

  /** What changed in one evaluation. */
  record Transitions(List<Active> fired, List<Active> resolved) {
    boolean isEmpty() {
      return fired.isEmpty() && resolved.isEmpty();
    }
  }

  private final Map<String, Active> active = new LinkedHashMap<>();
  private final ArrayDeque<Active> resolved = new ArrayDeque<>();

  Transitions update(List<AlertCondition> conditions, Instant now) {
    List<Active> fired = new ArrayList<>();
    List<Active> ended = new ArrayList<>();
    Set<String> holding = new HashSet<>();
    for (AlertCondition condition : conditions) {
      if (!holding.add(condition.key())) {
        continue;
      }
      Active alert = active.computeIfAbsent(condition.key(), key -> new Active(condition, now));
      // Keep the newest description (the lag grows, the error text changes) under the same identity.
      Active current = alert.condition.equals(condition) ? alert : replace(alert, condition);
      if (current.firingAt == null
        && !Duration.between(current.activeAt, now).minusSeconds(condition.forSeconds()).isNegative()) {
        current.firingAt = now;
        fired.add(current);
      }
    }
    for (Active alert : List.copyOf(active.values())) {
      if (!holding.contains(alert.condition.key())) {
        active.remove(alert.condition.key());
        if (alert.firingAt != null) {
          alert.resolvedAt = now;
          ended.add(alert);
          keepResolved(alert);
        }
      }
    }
    return new Transitions(fired, ended);
  }

  private Active replace(Active old, AlertCondition condition) {
    Active updated = new Active(condition, old.activeAt);
    updated.firingAt = old.firingAt;
    active.put(condition.key(), updated);
    return updated;
  }

  private void keepResolved(Active alert) {
    if (resolved.size() == RESOLVED_KEPT) {
      resolved.removeFirst();
    }
    resolved.addLast(alert);
  }

  List<Active> firing() {
    return active.values().stream().filter(Active::firing).toList();
  }

  /** How many alerts of each rule fire now (every rule named, zero included). */
  Map<String, Integer> firingByName() {
    Map<String, Integer> counts = new HashMap<>();
    AlertRules.NAMES.forEach(name -> counts.put(name, 0));
    firing().forEach(alert -> counts.merge(alert.condition.name(), 1, Integer::sum));
    return counts;
  }

  /** Firing and pending alerts (firing first), then the recently resolved ones, newest first. */
  JsonObject toJson() {
    JsonArray current = new JsonArray();
    active.values().stream().filter(Active::firing).forEach(alert -> current.add(alert.toJson()));
    active.values().stream().filter(alert -> !alert.firing()).forEach(alert -> current.add(alert.toJson()));
    JsonArray recent = new JsonArray();
    resolved.descendingIterator().forEachRemaining(alert -> recent.add(alert.toJson()));
    return new JsonObject().put("active", current).put("resolved", recent);
  }
}
