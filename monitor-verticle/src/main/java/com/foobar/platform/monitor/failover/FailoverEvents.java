package com.foobar.platform.monitor.failover;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The failover manager's recent decisions, newest first, for {@code GET /admin/failover} and the log. A state
 * that holds round after round (a node waiting to be rebuilt, no safe writer) is recorded when it begins or
 * changes, not every round.
 */
final class FailoverEvents {

  private static final Logger LOG = LoggerFactory.getLogger(FailoverManager.class);
  static final int KEPT = 50;

  private final Deque<JsonObject> events = new ArrayDeque<>();
  private final Map<String, String> ongoing = new ConcurrentHashMap<>();

  void record(String kind, String node, String detail) {
    JsonObject event = new JsonObject().put("at", Instant.now().toString()).put("event", kind).put("node", node)
      .put("detail", detail);
    LOG.warn("failover manager: {} {}: {}", kind, node == null ? "" : node, detail);
    synchronized (events) {
      events.addFirst(event);
      while (events.size() > KEPT) {
        events.removeLast();
      }
    }
  }

  /** Records a state under {@code key} only when it is new or its detail changed. */
  void ongoing(String key, String kind, String node, String detail) {
    if (!Objects.equals(ongoing.put(key, kind + ": " + detail), kind + ": " + detail)) {
      record(kind, node, detail);
    }
  }

  /** The state under {@code key} is over; the next one is recorded again. */
  void ended(String key) {
    ongoing.remove(key);
  }

  JsonArray toJson() {
    synchronized (events) {
      return new JsonArray(new ArrayList<>(events));
    }
  }
}
