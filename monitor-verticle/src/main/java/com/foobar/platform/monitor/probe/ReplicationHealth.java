package com.foobar.platform.monitor.probe;

import com.foobar.platform.common.db.NodeStatus;
import com.foobar.platform.common.db.SlaveStatus;
import io.vertx.core.json.JsonObject;

/**
 * Whether replication into a replica works, from its {@code SHOW SLAVE STATUS} as the platform's one parser
 * read it ({@link SlaveStatus}): both threads running and a known lag within bounds. A NULL
 * {@code Seconds_Behind_Master} means the SQL thread is not applying anything: it is an outage, never "zero lag".
 */
final class ReplicationHealth {

  /** How {@code SHOW SLAVE STATUS} says a thread runs. */
  static final String RUNNING = SlaveStatus.YES;

  private ReplicationHealth() {
  }

  /**
   * Why replication into the node is not working, or null when it is. A node whose replication state could not
   * be read (a missing grant) carries the reader's reason.
   */
  static String problem(NodeStatus status, long maxLagSeconds) {
    return status.error() != null ? status.error() : problem(status.slave(), maxLagSeconds);
  }

  static String problem(SlaveStatus slave, long maxLagSeconds) {
    if (!slave.configured()) {
      return "replication is not configured on this node";
    }
    if (!slave.replicating()) {
      return "IO thread " + orUnknown(slave.ioThread()) + ", SQL thread " + orUnknown(slave.sqlThread()) + errors(slave);
    }
    if (slave.secondsBehindMaster() == null) {
      return "Seconds_Behind_Master is NULL" + errors(slave);
    }
    if (slave.secondsBehindMaster() > maxLagSeconds) {
      return "lag " + slave.secondsBehindMaster() + " s exceeds " + maxLagSeconds + " s";
    }
    return null;
  }

  /** The replication's detail on the page: threads, lag, errors, source, what it fetched, and the limit. */
  static JsonObject detail(SlaveStatus slave, long maxLagSeconds) {
    return slave.toJson().put("maxLagSeconds", maxLagSeconds);
  }

  private static String errors(SlaveStatus slave) {
    StringBuilder text = new StringBuilder();
    if (slave.lastIoError() != null) {
      text.append("; IO error: ").append(slave.lastIoError());
    }
    if (slave.lastSqlError() != null) {
      text.append("; SQL error: ").append(slave.lastSqlError());
    }
    return text.toString();
  }

  private static String orUnknown(String value) {
    return value == null || value.isBlank() ? "unknown" : value;
  }
}
