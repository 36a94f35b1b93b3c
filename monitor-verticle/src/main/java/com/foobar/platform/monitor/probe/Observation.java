package com.foobar.platform.monitor.probe;

import io.vertx.core.json.JsonObject;

/**
 * What one probe found about one component. {@code error} says why it is down; {@code warning} flags an up
 * component that needs attention (a writable replica); {@code lagSeconds} is the replication lag, null when
 * unknown or NULL. The latency is stamped by the probe loop, which times every probe the same way.
 */
public record Observation(boolean up, long latencyMs, JsonObject detail, String error, String warning,
                          Long lagSeconds) {

  public static Observation up(JsonObject detail) {
    return new Observation(true, 0, detail, null, null, null);
  }

  public static Observation down(JsonObject detail, String error) {
    return new Observation(false, 0, detail, error, null, null);
  }

  public Observation withLatency(long latencyMs) {
    return new Observation(up, latencyMs, detail, error, warning, lagSeconds);
  }

  public Observation withWarning(String warning) {
    return new Observation(up, latencyMs, detail, error, warning, lagSeconds);
  }

  public Observation withLag(Long lagSeconds) {
    return new Observation(up, latencyMs, detail, error, warning, lagSeconds);
  }

  /** A database node found with {@code read_only=0}. */
  public boolean writable() {
    return detail != null && Boolean.FALSE.equals(detail.getBoolean("readOnly"));
  }

  /** A replication thread ({@code ioThread}, {@code sqlThread}) found running; false when unknown. */
  public boolean threadRunning(String thread) {
    return detail != null && ReplicationHealth.RUNNING.equals(detail.getString(thread));
  }
}
