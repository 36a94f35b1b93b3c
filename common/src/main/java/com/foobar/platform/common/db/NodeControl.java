package com.foobar.platform.common.db;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.SqlConnection;

/**
 * The statements that change a node's role, on one connection, in the order that keeps one writer at a time.
 * Shared by the monitor's failover manager and {@link RolesTool}; the account needs READ_ONLY ADMIN,
 * REPLICATION SLAVE ADMIN and INSERT on {@code foobar_ha} (the failover account), or is root.
 */
public final class NodeControl {

  private NodeControl() {
  }

  /** The node refuses writes: the first step with any node that must not write. */
  public static Future<Void> fence(SqlConnection connection) {
    return connection.query("SET GLOBAL read_only = 1").execute().mapEmpty();
  }

  /**
   * An errant node: fenced, and its replication stopped (its configuration kept for whoever looks at it), so it
   * applies nothing more on top of a history the writer does not share, until it is rebuilt.
   */
  public static Future<Void> quarantine(SqlConnection connection) {
    return fence(connection).compose(fenced -> connection.query("STOP SLAVE").execute()).mapEmpty();
  }

  /**
   * The node replicates from {@code source}, read-only, from where its own history ends: the last GTID of each
   * domain ({@link GtidState#position()}), set as {@code gtid_slave_pos} so that {@code MASTER_USE_GTID=
   * slave_pos} resumes exactly after what it holds, whether it wrote that itself (a former writer), applied it,
   * or was re-imaged with it. The history is read here, after {@code STOP SLAVE}, never taken from an earlier
   * check: a node that kept applying since that check would be sent back to fetch those transactions again
   * (seen as "out-of-order sequence number" right after a switchover re-pointed the old writer).
   */
  public static Future<Void> follow(SqlConnection connection, ReplicationSource source) {
    String change = "CHANGE MASTER TO MASTER_HOST = " + quote(source.host()) + ", MASTER_PORT = " + source.port()
      + ", MASTER_USER = " + quote(source.user()) + ", MASTER_PASSWORD = " + quote(source.password())
      + ", MASTER_USE_GTID = slave_pos, MASTER_CONNECT_RETRY = 1";
    return fence(connection)
      .compose(fenced -> connection.query("STOP SLAVE").execute())
      .compose(stopped -> NodeStatusReader.read(connection))
      .compose(now -> connection.query("SET GLOBAL gtid_slave_pos = '" + now.history().position() + "'").execute())
      .compose(positioned -> connection.query(change).execute())
      .compose(changed -> connection.query("START SLAVE").execute())
      .mapEmpty();
  }

  /**
   * Makes the node the writer of {@code epoch}: it forgets its source, the promotion is recorded on it
   * ({@link WriterEpochs}: still read-only, so the row is the first transaction of the new epoch), and only then
   * does it take writes. A node that was writable already stays so; a failed step leaves it read-only.
   */
  public static Future<Void> promote(SqlConnection connection, long epoch, String node, GtidState base) {
    return connection.query("STOP SLAVE").execute()
      .compose(stopped -> connection.query("RESET SLAVE ALL").execute())
      .compose(reset -> WriterEpochs.record(connection, epoch, node, base))
      .compose(recorded -> connection.query("SET GLOBAL read_only = 0").execute())
      .mapEmpty();
  }

  /**
   * Completes once the node holds {@code target} ({@code @@gtid_current_pos}: what it has, applied or written
   * itself; MASTER_GTID_WAIT follows only the replication position and would wait forever on a former writer),
   * polling every 50 ms; fails after {@code timeoutMs}.
   */
  public static Future<Void> caughtUp(Vertx vertx, SqlConnection connection, GtidState target, long timeoutMs) {
    return poll(vertx, connection, target, System.nanoTime() + timeoutMs * 1_000_000L);
  }

  private static Future<Void> poll(Vertx vertx, SqlConnection connection, GtidState target, long deadline) {
    if (target.isEmpty()) {
      return Future.succeededFuture();
    }
    return connection.query("SELECT @@gtid_current_pos, @@gtid_binlog_state").execute().compose(rows -> {
      var row = rows.iterator().next();
      GtidState has = GtidState.parse(row.getString(0)).merge(GtidState.parse(row.getString(1)));
      if (has.contains(target)) {
        return Future.succeededFuture();
      }
      if (System.nanoTime() > deadline) {
        return Future.failedFuture("did not reach " + target + " in time (has " + has + ")");
      }
      Promise<Void> later = Promise.promise();
      vertx.setTimer(50, id -> poll(vertx, connection, target, deadline).onComplete(later));
      return later.future();
    });
  }

  /** CHANGE MASTER takes no parameters in the text protocol, so values are quoted here. */
  static String quote(String value) {
    return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
  }
}
