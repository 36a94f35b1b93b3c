package com.foobar.platform.monitor;

import com.foobar.platform.common.db.SlaveStatus;
import io.vertx.core.json.JsonObject;

/**
 * A replica's {@code SHOW SLAVE STATUS}, reduced to what decides whether replication works: both threads
 * running and a known lag within bounds. A NULL {@code Seconds_Behind_Master} means the SQL thread is not
 * applying anything: it is an outage, never "zero lag".
 */
record ReplicationStatus(boolean configured, String ioThread, String sqlThread, Long secondsBehindMaster,
                         String lastIoError, String lastSqlError, String gtidIoPos, String queryError) {

  static final String QUERY = SlaveStatus.QUERY;
  static final String YES = SlaveStatus.YES;

  /** From the platform's one parser of {@code SHOW SLAVE STATUS} ({@link SlaveStatus}). */
  static ReplicationStatus from(SlaveStatus slave) {
    if (!slave.configured()) {
      return new ReplicationStatus(false, null, null, null, null, null, null, null);
    }
    return new ReplicationStatus(true, slave.ioThread(), slave.sqlThread(), slave.secondsBehindMaster(),
      slave.lastIoError(), slave.lastSqlError(), slave.gtidIoPos(), null);
  }

  /** The node answered but its replication state could not be read (privileges, say). */
  static ReplicationStatus unreadable(String queryError) {
    return new ReplicationStatus(false, null, null, null, null, null, null, queryError);
  }

  boolean ioRunning() {
    return YES.equals(ioThread);
  }

  boolean sqlRunning() {
    return YES.equals(sqlThread);
  }

  /** Why replication is not working, or null when it is (threads running, lag known and at most the limit). */
  String problem(long maxLagSeconds) {
    if (queryError != null) {
      return QUERY + " failed: " + queryError;
    }
    if (!configured) {
      return "replication is not configured on this node";
    }
    if (!ioRunning() || !sqlRunning()) {
      return "IO thread " + orNone(ioThread) + ", SQL thread " + orNone(sqlThread) + errors();
    }
    if (secondsBehindMaster == null) {
      return "Seconds_Behind_Master is NULL" + errors();
    }
    if (secondsBehindMaster > maxLagSeconds) {
      return "lag " + secondsBehindMaster + " s exceeds " + maxLagSeconds + " s";
    }
    return null;
  }

  private String errors() {
    StringBuilder text = new StringBuilder();
    if (lastIoError != null && !lastIoError.isBlank()) {
      text.append("; IO error: ").append(lastIoError);
    }
    if (lastSqlError != null && !lastSqlError.isBlank()) {
      text.append("; SQL error: ").append(lastSqlError);
    }
    return text.toString();
  }

  private static String orNone(String value) {
    return value == null || value.isBlank() ? "unknown" : value;
  }

  JsonObject toJson() {
    return new JsonObject()
      .put("configured", configured)
      .put("ioThread", ioThread)
      .put("sqlThread", sqlThread)
      .put("secondsBehindMaster", secondsBehindMaster)
      .put("lastIoError", blankToNull(lastIoError))
      .put("lastSqlError", blankToNull(lastSqlError))
      .put("gtidIoPos", gtidIoPos);
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
