package com.foobar.platform.common.db;

import io.vertx.core.Future;
import io.vertx.mysqlclient.MySQLException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads a node's {@link NodeStatus} on one connection, three round trips: the server variables (with the
 * semi-sync status variables), {@code SHOW SLAVE STATUS}, and the latest promotions of
 * {@code foobar_ha.writer_epoch}. Needs no privilege beyond {@code SLAVE MONITOR} (and SELECT on
 * {@code foobar_ha} for the epochs, without which they are unknown). The app, the monitor and the failover
 * manager all read nodes through this one class.
 */
public final class NodeStatusReader {

  static final String VARIABLES = "SELECT @@server_id AS server_id, @@read_only AS read_only,"
    + " @@gtid_binlog_state AS gtid_binlog_state, @@gtid_slave_pos AS gtid_slave_pos,"
    + " @@gtid_current_pos AS gtid_current_pos, @@rpl_semi_sync_master_enabled AS semi_sync_master_enabled,"
    + " " + status("RPL_SEMI_SYNC_MASTER_STATUS", "semi_sync_master_status") + ","
    + " " + status("RPL_SEMI_SYNC_MASTER_CLIENTS", "semi_sync_master_clients") + ","
    + " " + status("RPL_SEMI_SYNC_SLAVE_STATUS", "semi_sync_slave_status");
  /** Enough promotions to place any node that was away for a while; the table has one row per promotion. */
  static final int EPOCHS_READ = 32;
  /** No such table or schema yet: a node from before the epochs existed, or a fresh one still catching up. */
  private static final Set<Integer> NO_TABLE = Set.of(1146, 1049);
  /** SELECT not granted on foobar_ha: the epochs are unknown (the election then goes by containment). */
  private static final Set<Integer> DENIED = Set.of(1142, 1044);

  private NodeStatusReader() {
  }

  private static String status(String variable, String alias) {
    return "(SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = '" + variable
      + "') AS " + alias;
  }

  /**
   * Checks a node through its pool. Never fails: a node that cannot be reached, or that answers with an error,
   * is a status too ({@link NodeStatus#unreachable}, {@link NodeStatus#unreadable}).
   */
  public static Future<NodeStatus> check(Pool pool) {
    return pool.withConnection(NodeStatusReader::read)
      .otherwise(failure -> failure instanceof MySQLException
        ? NodeStatus.unreadable(String.valueOf(failure.getMessage()))
        : NodeStatus.unreachable(String.valueOf(failure.getMessage())));
  }

  /**
   * Reads the node on {@code connection}; fails when the server variables cannot be read. When only
   * {@code SHOW SLAVE STATUS} is refused (a missing grant), the status carries the variables and that error:
   * the node answered, but it is no evidence for an election.
   */
  public static Future<NodeStatus> read(SqlConnection connection) {
    return connection.query(VARIABLES).execute().compose(variables -> connection.query(SlaveStatus.QUERY).execute()
      .map(NodeStatusReader::firstRow)
      .map(SlaveStatus::from)
      .compose(slave -> epochs(connection).map(epochs -> statusOf(variables.iterator().next(), slave, epochs)))
      .recover(failure -> failure instanceof MySQLException
        ? Future.succeededFuture(statusOf(variables.iterator().next(), SlaveStatus.NONE, null)
          .withError(SlaveStatus.QUERY + " failed: " + failure.getMessage()))
        : Future.failedFuture(failure)));
  }

  private static Row firstRow(RowSet<Row> rows) {
    return rows.iterator().hasNext() ? rows.iterator().next() : null;
  }

  /**
   * Newest first; empty when there is no table yet, null when the account may not read it. Any other failure
   * (the connection lost half-way) fails the read: a status with its epochs missing by accident would look like
   * a node that knows no promotion.
   */
  static Future<List<WriterEpoch>> epochs(SqlConnection connection) {
    return connection.query(WriterEpochs.SELECT_LATEST + EPOCHS_READ).execute()
      .map(NodeStatusReader::epochsOf)
      .recover(failure -> {
        if (failure instanceof MySQLException mysql && NO_TABLE.contains(mysql.getErrorCode())) {
          return Future.succeededFuture(List.of());
        }
        return failure instanceof MySQLException mysql && DENIED.contains(mysql.getErrorCode())
          ? Future.succeededFuture(null) : Future.failedFuture(failure);
      });
  }

  private static List<WriterEpoch> epochsOf(RowSet<Row> rows) {
    List<WriterEpoch> epochs = new ArrayList<>();
    for (Row row : rows) {
      epochs.add(new WriterEpoch(Columns.number(row, "epoch"), Columns.number(row, "server_id"),
        Columns.text(row, "node"), GtidState.parse(Columns.text(row, "base_position"))));
    }
    return List.copyOf(epochs);
  }

  private static NodeStatus statusOf(Row row, SlaveStatus slave, List<WriterEpoch> epochs) {
    Long readOnly = Columns.number(row, "read_only");
    Long serverId = Columns.number(row, "server_id");
    Long clients = Columns.number(row, "semi_sync_master_clients");
    SemiSync semiSync = new SemiSync(Boolean.TRUE.equals(Columns.flag(row, "semi_sync_master_enabled")),
      Boolean.TRUE.equals(Columns.flag(row, "semi_sync_master_status")), clients == null ? 0 : clients,
      Boolean.TRUE.equals(Columns.flag(row, "semi_sync_slave_status")));
    // Anything but an explicit 0 counts as read-only: an unreadable flag must not make a node look writable.
    return new NodeStatus(true, null, serverId == null ? 0 : serverId, readOnly == null || readOnly != 0,
      GtidState.parse(Columns.text(row, "gtid_binlog_state")), GtidState.parse(Columns.text(row, "gtid_slave_pos")),
      GtidState.parse(Columns.text(row, "gtid_current_pos")), slave, semiSync, epochs);
  }
}
