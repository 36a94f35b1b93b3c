package com.foobar.platform.monitor.failover;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.mysqlclient.MySQLBuilder;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.mysqlclient.MySQLException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;

/**
 * A database node as the failover manager sees it: its own small pool with the failover user, the check it
 * runs every round, and the statements that change a node's role (fence, promote, replicate from).
 */
final class ClusterNode {

  private final String name;
  private final MySQLConnectOptions connect;
  private final Pool pool;
  private final Vertx vertx;
  private volatile NodeView view = NodeView.unreachable("not checked yet");

  ClusterNode(Vertx vertx, String name, MySQLConnectOptions connect, int connectTimeoutMs) {
    this.name = name;
    this.connect = connect;
    this.vertx = vertx;
    this.pool = MySQLBuilder.pool()
      .with(new PoolOptions().setMaxSize(1).setName("failover-" + name).setConnectionTimeout(connectTimeoutMs)
        .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS))
      .with(new NetClientOptions().setConnectTimeout(connectTimeoutMs))
      .connectingTo(connect)
      .using(vertx)
      .build();
  }

  String name() {
    return name;
  }

  String address() {
    return connect.getHost() + ":" + connect.getPort();
  }

  String host() {
    return connect.getHost();
  }

  int port() {
    return connect.getPort();
  }

  NodeView view() {
    return view;
  }

  Future<NodeView> check() {
    return pool.withConnection(connection -> connection
        .query("SELECT @@read_only, @@gtid_current_pos").execute()
        .compose(vars -> connection.query("SHOW SLAVE STATUS").execute().map(status -> viewOf(vars, status))))
      .otherwise(ClusterNode::viewOfFailure)
      .onSuccess(checked -> view = checked);
  }

  /**
   * A server that answers with an error (access denied, say) is up: only a node that cannot be reached counts
   * as gone, so a misconfigured account can never trigger a failover.
   */
  private static NodeView viewOfFailure(Throwable failure) {
    String error = String.valueOf(failure.getMessage());
    if (failure instanceof MySQLException) {
      return new NodeView(true, false, null, false, null, null, null, "cannot check: " + error);
    }
    return NodeView.unreachable(error);
  }

  private static NodeView viewOf(RowSet<Row> vars, RowSet<Row> status) {
    Row row = vars.iterator().next();
    boolean writable = row.getInteger(0) == 0;
    String current = row.getString(1);
    if (status.size() == 0) {
      return new NodeView(true, writable, null, false, current, null, null, null);
    }
    Row slave = status.iterator().next();
    boolean running = "Yes".equals(slave.getString("Slave_IO_Running"))
      && "Yes".equals(slave.getString("Slave_SQL_Running"));
    String error = slave.getString("Last_SQL_Error");
    if (error == null || error.isBlank()) {
      error = slave.getString("Last_IO_Error");
    }
    return new NodeView(true, writable, slave.getString("Master_Host") + ":" + slave.getValue("Master_Port"),
      running, current, slave.getString("Gtid_IO_Pos"), error == null || error.isBlank() ? null : error, null);
  }

  /** Makes the node refuse writes; the first step with any node that must not write. */
  Future<Void> fence() {
    return run("SET GLOBAL read_only = 1");
  }

  /** Undoes {@link #fence()}: only for a switchover that failed before anything else changed. */
  Future<Void> unfence() {
    return run("SET GLOBAL read_only = 0");
  }

  /** The node's binlog position once fenced: what a candidate must reach before it takes over. */
  Future<String> binlogPosition() {
    return pool.withConnection(c -> c.query("SELECT @@gtid_binlog_pos").execute())
      .map(rows -> rows.iterator().next().getString(0));
  }

  /**
   * Turns a replica into the writer: stops fetching, waits until it has applied the position
   * {@code mustReach} (when given; at most {@code catchUpSeconds}), forgets its source and becomes writable.
   * If it cannot catch up it is left as it was, fetching again.
   */
  Future<Void> promote(String mustReach, int catchUpSeconds) {
    return pool.withConnection(c -> c.query("STOP SLAVE IO_THREAD").execute()
      .compose(stopped -> caughtUp(c, mustReach, System.nanoTime() + catchUpSeconds * 1_000_000_000L))
      .compose(caughtUp -> c.query("STOP SLAVE").execute())
      .compose(stopped -> c.query("RESET SLAVE ALL").execute())
      .compose(reset -> c.query("SET GLOBAL read_only = 0").execute())
      .<Void>mapEmpty()
      .recover(failure -> c.query("START SLAVE").execute().transform(restarted -> Future.failedFuture(failure))));
  }

  /**
   * Polls {@code @@gtid_current_pos} (what the node has, applied or its own) rather than MASTER_GTID_WAIT,
   * which only follows the replication position and would wait forever on a node that wrote the target
   * itself, as a former primary did.
   */
  private Future<Void> caughtUp(SqlConnection c, String mustReach, long deadline) {
    if (mustReach == null || mustReach.isBlank()) {
      return Future.succeededFuture();
    }
    return c.query("SELECT @@gtid_current_pos").execute().compose(rows -> {
      String current = rows.iterator().next().getString(0);
      if (Gtid.covers(current, mustReach)) {
        return Future.succeededFuture();
      }
      if (System.nanoTime() > deadline) {
        return Future.failedFuture("did not apply " + mustReach + " in time (has " + current + ")");
      }
      Promise<Void> later = Promise.promise();
      vertx.setTimer(50, id -> caughtUp(c, mustReach, deadline).onComplete(later));
      return later.future();
    });
  }

  /**
   * Makes this node replicate from {@code source}. A node that never replicated (a former primary) starts
   * from its own binlog position ({@code current_pos}); a replica keeps its applied position.
   */
  Future<Void> replicateFrom(ClusterNode source, String replicationUser, String replicationPassword) {
    String useGtid = view.source() == null ? "current_pos" : "slave_pos";
    String change = "CHANGE MASTER TO MASTER_HOST = ?, MASTER_PORT = ?, MASTER_USER = ?, MASTER_PASSWORD = ?,"
      + " MASTER_USE_GTID = " + useGtid + ", MASTER_CONNECT_RETRY = 1";
    return pool.withConnection(c -> c.query("SET GLOBAL read_only = 1").execute()
      .compose(fenced -> c.query("STOP SLAVE").execute())
      .compose(stopped -> substitute(c, change, source, replicationUser, replicationPassword))
      .compose(changed -> c.query("START SLAVE").execute())
      .mapEmpty());
  }

  /** CHANGE MASTER takes no parameters in the text protocol, so the values are quoted here. */
  private static Future<RowSet<Row>> substitute(SqlConnection c, String change, ClusterNode source, String user,
                                                String password) {
    String sql = change.replaceFirst("\\?", quote(source.host()))
      .replaceFirst("\\?", Integer.toString(source.port()))
      .replaceFirst("\\?", Matcher.quoteReplacement(quote(user)))
      .replaceFirst("\\?", Matcher.quoteReplacement(quote(password)));
    return c.query(sql).execute();
  }

  private static String quote(String value) {
    return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
  }

  private Future<Void> run(String sql) {
    return pool.query(sql).execute().mapEmpty();
  }

  /** The replicas registered with this node ({@code SHOW SLAVE HOSTS}). */
  Future<List<ReplicaHost>> replicaHosts() {
    return pool.query("SHOW SLAVE HOSTS").execute().map(rows -> {
      List<ReplicaHost> hosts = new ArrayList<>();
      for (Row row : rows) {
        Integer port = row.getInteger("Port");
        hosts.add(new ReplicaHost(row.getLong("Server_id"), row.getString("Host"), port == null ? 0 : port));
      }
      return hosts;
    });
  }

  Future<Void> close() {
    return pool.close();
  }
}
