package com.foobar.platform.common.db;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

/**
 * A node's {@code SHOW SLAVE STATUS} (its default connection), the one parser of it on the platform: whom it
 * replicates from, whether both threads run, how far behind it is (NULL {@code Seconds_Behind_Master} means the
 * SQL thread applies nothing: broken, never "no lag"), what it fetched ({@code Gtid_IO_Pos}) and the last errors.
 */
public record SlaveStatus(boolean configured, String masterHost, Integer masterPort, String ioThread,
                          String sqlThread, Long secondsBehindMaster, String gtidIoPos, String lastIoError,
                          String lastSqlError) {

  public static final String QUERY = "SHOW SLAVE STATUS";
  public static final String YES = "Yes";
  /** A node that replicates from nobody (SHOW SLAVE STATUS is empty). */
  public static final SlaveStatus NONE = new SlaveStatus(false, null, null, null, null, null, null, null, null);

  /** Parses one row of {@code SHOW SLAVE STATUS}; null is {@link #NONE}. */
  public static SlaveStatus from(Row row) {
    if (row == null) {
      return NONE;
    }
    Long port = Columns.number(row, "Master_Port");
    return new SlaveStatus(true, Columns.blankToNull(Columns.text(row, "Master_Host")),
      port == null ? null : port.intValue(), Columns.text(row, "Slave_IO_Running"),
      Columns.text(row, "Slave_SQL_Running"), Columns.number(row, "Seconds_Behind_Master"),
      Columns.blankToNull(Columns.text(row, "Gtid_IO_Pos")), Columns.blankToNull(Columns.text(row, "Last_IO_Error")),
      Columns.blankToNull(Columns.text(row, "Last_SQL_Error")));
  }

  public boolean ioRunning() {
    return YES.equals(ioThread);
  }

  public boolean sqlRunning() {
    return YES.equals(sqlThread);
  }

  /** Both threads run. */
  public boolean replicating() {
    return ioRunning() && sqlRunning();
  }

  /** {@code host:port} of the source, null when it has none. */
  public String source() {
    return configured && masterHost != null ? masterHost + ":" + masterPort : null;
  }

  /** The SQL error, else the IO error; null when there is none. */
  public String error() {
    return lastSqlError != null ? lastSqlError : lastIoError;
  }

  public JsonObject toJson() {
    return new JsonObject().put("configured", configured).put("source", source()).put("ioThread", ioThread)
      .put("sqlThread", sqlThread).put("secondsBehindMaster", secondsBehindMaster).put("gtidIoPos", gtidIoPos)
      .put("lastIoError", lastIoError).put("lastSqlError", lastSqlError);
  }
}
