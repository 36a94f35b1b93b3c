package com.foobar.platform.monitor;

import io.vertx.core.json.JsonObject;

/**
 * What one probe found about one component. {@code error} says why it is down; {@code warning} flags an up
 * component that needs attention (a writable replica); {@code lagSeconds} is the replication lag, null when
 * unknown or NULL. The latency is stamped by the probe loop, which times every probe the same way.
 */
record Observation(boolean up, long latencyMs, JsonObject detail, String error, String warning, Long lagSeconds) {

  static Observation up(JsonObject detail) {
    return new Observation(true, 0, detail, null, null, null);
  }

  static Observation down(JsonObject detail, String error) {
    return new Observation(false, 0, detail, error, null, null);
  }

  Observation withLatency(long latencyMs) {
    return new Observation(up, latencyMs, detail, error, warning, lagSeconds);
  }

  Observation withWarning(String warning) {
    return new Observation(up, latencyMs, detail, error, warning, lagSeconds);
  }

  Observation withLag(Long lagSeconds) {
    return new Observation(up, latencyMs, detail, error, warning, lagSeconds);
  }
}
