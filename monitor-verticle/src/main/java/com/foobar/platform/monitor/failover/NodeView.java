package com.foobar.platform.monitor.failover;

import io.vertx.core.json.JsonObject;

/**
 * What one check saw of a node, with the failover user: reachable, writable, whom it replicates from
 * ({@code host:port}, null when it has no replication configured), whether both replication threads run,
 * and its GTID positions.
 */
record NodeView(boolean reachable, boolean writable, String source, boolean replicating, String gtidCurrentPos,
                String gtidIoPos, String replicationError, String error) {

  static NodeView unreachable(String error) {
    return new NodeView(false, false, null, false, null, null, null, error);
  }

  /** The node answered and the check could read its state (not, say, refused by access rights). */
  boolean checked() {
    return reachable && error == null;
  }

  JsonObject toJson() {
    return new JsonObject().put("reachable", reachable).put("writable", writable).put("source", source)
      .put("replicating", replicating).put("gtidCurrentPos", gtidCurrentPos).put("gtidIoPos", gtidIoPos)
      .put("replicationError", replicationError).put("error", error);
  }
}
