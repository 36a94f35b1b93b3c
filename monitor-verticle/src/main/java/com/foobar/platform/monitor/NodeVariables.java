package com.foobar.platform.monitor;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;

/** The server variables the monitor reads from every node: who it is and whether it accepts writes. */
record NodeVariables(Long serverId, boolean readOnly, String gtidBinlogPos) {

  /** For a replica; the primary also reads its binlog position. */
  static final String REPLICA_QUERY = "SELECT @@server_id AS server_id, @@read_only AS read_only";
  static final String PRIMARY_QUERY = "SELECT @@server_id AS server_id, @@read_only AS read_only, "
    + "@@gtid_binlog_pos AS gtid_binlog_pos";

  static NodeVariables from(RowSet<Row> rows) {
    Row row = rows.iterator().next();
    Long readOnly = Rows.number(row, "read_only");
    // Anything but an explicit 0 counts as read-only: an unreadable flag must not make a node look writable.
    return new NodeVariables(Rows.number(row, "server_id"), readOnly == null || readOnly != 0,
      Rows.text(row, "gtid_binlog_pos"));
  }

  JsonObject toJson() {
    JsonObject json = new JsonObject().put("serverId", serverId).put("readOnly", readOnly);
    if (gtidBinlogPos != null) {
      json.put("gtidBinlogPos", gtidBinlogPos);
    }
    return json;
  }
}
