package com.foobar.platform.app;

import io.vertx.core.json.JsonObject;

/**
 * What the last check saw of one database node: whether it answered, whether it takes writes
 * ({@code read_only=0}), and for a replica whether its replication runs and how far behind it is.
 * A NULL {@code Seconds_Behind_Master} means replication is broken, never "no lag".
 */
record NodeState(boolean reachable, boolean writable, boolean replicating, Long lagSeconds, String error) {

  static final NodeState UNKNOWN = new NodeState(false, false, false, null, "not checked yet");

  static NodeState unreachable(String error) {
    return new NodeState(false, false, false, null, error);
  }

  /** A replica may serve plain reads: it answers, replicates, and is within the allowed lag. */
  boolean readable(long maxLagSeconds) {
    return reachable && !writable && replicating && lagSeconds != null && lagSeconds <= maxLagSeconds;
  }

  JsonObject toJson() {
    return new JsonObject().put("reachable", reachable).put("writable", writable).put("replicating", replicating)
      .put("lagSeconds", lagSeconds).put("error", error);
  }
}
