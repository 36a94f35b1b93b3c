package com.foobar.platform.app.db;

import com.foobar.platform.common.db.NodeStatus;
import io.vertx.core.json.JsonObject;

/**
 * What routing needs from the last check of one database node ({@link NodeStatus}, read by the platform's one
 * reader): whether it answered, whether it takes writes ({@code read_only=0}), whether its replication runs and
 * how far behind it is (a NULL {@code Seconds_Behind_Master} means broken, never "no lag"), and whether it is
 * errant (it holds transactions the writer's history lacks: it never serves a read, not even a stale one).
 */
record NodeState(boolean reachable, boolean writable, boolean replicating, Long lagSeconds, String error,
                 String errant) {

  static final NodeState UNKNOWN = new NodeState(false, false, false, null, "not checked yet", null);

  static NodeState of(NodeStatus status, String errant) {
    if (!status.reachable()) {
      return new NodeState(false, false, false, null, status.error(), errant);
    }
    boolean replicating = status.slave().replicating();
    String error = status.error() != null ? status.error() : !status.slave().configured() || replicating ? null
      : status.slave().error() != null ? status.slave().error() : "replication threads are not running";
    return new NodeState(true, status.writable(), replicating, status.slave().secondsBehindMaster(), error, errant);
  }

  /** A replica may serve plain reads: it answers, replicates, is within the allowed lag, and is not errant. */
  boolean readable(long maxLagSeconds) {
    return reachable && !writable && replicating && errant == null && lagSeconds != null
      && lagSeconds <= maxLagSeconds;
  }

  JsonObject toJson() {
    return new JsonObject().put("reachable", reachable).put("writable", writable).put("replicating", replicating)
      .put("lagSeconds", lagSeconds).put("error", error).put("errant", errant);
  }
}
