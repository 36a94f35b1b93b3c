package com.foobar.platform.monitor;

import com.foobar.platform.common.db.NodeStatus;
import io.vertx.core.json.JsonObject;

/** The server variables the monitor shows for every node: who it is, whether it accepts writes, its position. */
record NodeVariables(Long serverId, boolean readOnly, String gtidBinlogPos) {

  /** From the platform's one reader of a node ({@code NodeStatusReader}). */
  static NodeVariables from(NodeStatus status) {
    return new NodeVariables(status.serverId(), status.readOnly(), status.binlogState().position().toString());
  }

  JsonObject toJson() {
    JsonObject json = new JsonObject().put("serverId", serverId).put("readOnly", readOnly);
    if (gtidBinlogPos != null) {
      json.put("gtidBinlogPos", gtidBinlogPos);
    }
    return json;
  }
}
