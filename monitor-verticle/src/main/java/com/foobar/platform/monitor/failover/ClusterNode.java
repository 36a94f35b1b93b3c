package com.foobar.platform.monitor.failover;

import com.foobar.platform.common.db.DatabaseNodeOptions;
import com.foobar.platform.common.db.GtidState;
import com.foobar.platform.common.db.Member;
import com.foobar.platform.common.db.NodeControl;
import com.foobar.platform.common.db.NodeStatus;
import com.foobar.platform.common.db.NodeStatusReader;
import com.foobar.platform.common.db.ReplicationSource;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClientOptions;
import io.vertx.mysqlclient.MySQLBuilder;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A database node as the failover manager sees it: its own small pool with the failover user, its status as the
 * last check read it ({@link NodeStatusReader}, the platform's one reader), and the role changes of
 * {@link NodeControl} on it.
 */
final class ClusterNode {

  private final String name;
  private final MySQLConnectOptions connect;
  private final Pool pool;
  private final Vertx vertx;
  private volatile NodeStatus status = NodeStatus.unreachable("not checked yet");

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
    return DatabaseNodeOptions.address(connect);
  }

  NodeStatus status() {
    return status;
  }

  /** The node as an election takes it. */
  Member member() {
    return new Member(name, address(), status);
  }

  /**
   * Reads the node. A server that answers with an error (access denied, say) is up, not gone: only a node that
   * cannot be reached counts as lost, so a misconfigured account can never trigger a failover.
   */
  Future<NodeStatus> check() {
    return NodeStatusReader.check(pool).onSuccess(checked -> status = checked);
  }

  /** Whether it fetches from {@code writer} and applies what it gets (threads up or reconnecting, no error). */
  boolean follows(ClusterNode writer) {
    var slave = status.slave();
    return member().replicatesFrom(writer.member()) && slave.sqlRunning() && slave.error() == null
      && (slave.ioRunning() || "Connecting".equals(slave.ioThread()));
  }

  Future<Void> fence() {
    return pool.withConnection(NodeControl::fence);
  }

  /** Undoes {@link #fence()}: only for a switchover that failed before anything else changed. */
  Future<Void> unfence() {
    return pool.query("SET GLOBAL read_only = 0").execute().mapEmpty();
  }

  Future<Void> quarantine() {
    return pool.withConnection(NodeControl::quarantine);
  }

  /**
   * The node's binlog position once fenced ({@code @@gtid_binlog_pos}, as the platform's one reader of a node
   * reads it): what a candidate must reach before it takes over.
   */
  Future<GtidState> binlogPosition() {
    return pool.withConnection(NodeStatusReader::read).map(read -> read.binlogState().position());
  }

  /**
   * Turns a replica into the writer of {@code epoch}: stops fetching, waits until it holds {@code mustReach}
   * (at most {@code catchUpSeconds}), then {@link NodeControl#promote} from the position it has then. If it
   * cannot catch up it is left as it was, fetching again.
   */
  Future<Void> promote(long epoch, GtidState mustReach, int catchUpSeconds) {
    return pool.withConnection(c -> c.query("STOP SLAVE IO_THREAD").execute()
      .compose(stopped -> NodeControl.caughtUp(vertx, c, mustReach, TimeUnit.SECONDS.toMillis(catchUpSeconds)))
      .compose(caughtUp -> NodeStatusReader.read(c))
      .compose(now -> NodeControl.promote(c, epoch, name, now.history().position()))
      .recover(failure -> c.query("START SLAVE").execute().transform(restarted -> Future.failedFuture(failure))));
  }

  /** Makes this node replicate from {@code source}, read-only, from what it holds. */
  Future<Void> follow(ClusterNode source, ReplicationSource.Account account) {
    return pool.withConnection(c -> NodeControl.follow(c, account.from(source.member())));
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

  /** For {@code GET /admin/failover}: the status with the short keys operators and scripts read. */
  JsonObject toJson() {
    return status.toJson().put("address", address()).put("writable", status.writable())
      .put("replicating", status.slave().replicating()).put("source", status.slave().source())
      .put("replicationError", status.slave().error());
  }

  Future<Void> close() {
    return pool.close();
  }
}
