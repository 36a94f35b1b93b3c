package com.foobar.platform.monitor.probe;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;

/**
 * The current state of one component and a bounded history of its samples (oldest first). Only touched on the
 * monitor's event loop.
 */
public final class ComponentState {

  private final Component component;
  private final int historySize;
  private final ArrayDeque<JsonObject> history;
  private Observation last;
  private Instant since;
  private Instant checkedAt;
  private Instant firstSeen;
  /** The first healthy round: before it the component is starting, and its failures are no evidence yet. */
  private Instant firstUp;

  public ComponentState(Component component, int historySize) {
    this.component = component;
    this.historySize = historySize;
    this.history = new ArrayDeque<>(Math.min(historySize, 1024));
  }

  /**
   * Records an observation.
   *
   * @return true when the component changed state (or was observed for the first time)
   */
  public boolean record(Observation observation, Instant at) {
    boolean changed = last == null || last.up() != observation.up();
    if (changed) {
      since = at;
    }
    last = observation;
    checkedAt = at;
    firstSeen = firstSeen == null ? at : firstSeen;
    firstUp = firstUp == null && observation.up() ? at : firstUp;
    if (history.size() == historySize) {
      history.removeFirst();
    }
    JsonObject sample = new JsonObject().put("t", at.toEpochMilli()).put("up", observation.up())
      .put("latencyMs", observation.latencyMs());
    if (component.isReplication()) {
      sample.put("lagSeconds", observation.lagSeconds());
    }
    history.addLast(sample);
    return changed;
  }

  public Component component() {
    return component;
  }

  /** The last observation, or null before the first. */
  public Observation last() {
    return last;
  }

  /**
   * True while the component has not had a healthy round yet, for at most {@code bound} after it was first
   * probed: a tier that is still starting is "starting", not "down" (a clean start pages nobody), and one that
   * never comes up is down once the bound has passed.
   */
  public boolean starting(Instant now, Duration bound) {
    return firstUp == null && (firstSeen == null || now.isBefore(firstSeen.plus(bound)));
  }

  public boolean isUp() {
    return last != null && last.up();
  }

  public JsonObject toJson() {
    JsonObject json = component.toJson()
      .put("up", isUp())
      .put("starting", firstUp == null)
      .put("since", since == null ? null : since.toString())
      .put("checkedAt", checkedAt == null ? null : checkedAt.toString());
    if (last == null) {
      return json.put("latencyMs", null).put("detail", new JsonObject()).put("error", "not checked yet");
    }
    json.put("latencyMs", last.latencyMs())
      .put("detail", last.detail() == null ? new JsonObject() : last.detail().copy())
      .put("error", last.error());
    if (component.isReplication()) {
      json.put("lagSeconds", last.lagSeconds());
    }
    if (last.warning() != null) {
      json.put("warning", last.warning());
    }
    return json;
  }

  /** How many samples were taken after a moment, and how many of them found the component down. */
  public record Samples(long total, long failed) {
  }

  /** The samples taken after {@code from}, and after the first healthy round (start-up failures do not count). */
  public Samples samplesSince(Instant from) {
    if (firstUp != null && firstUp.isAfter(from)) {
      from = firstUp.minusMillis(1);
    }
    long total = 0;
    long failed = 0;
    for (JsonObject sample : history) {
      if (sample.getLong("t") > from.toEpochMilli()) {
        total++;
        failed += sample.getBoolean("up") ? 0 : 1;
      }
    }
    return new Samples(total, failed);
  }

  public JsonArray historyJson() {
    JsonArray samples = new JsonArray();
    history.forEach(sample -> samples.add(sample.copy()));
    return samples;
  }
}
