package com.foobar.platform.monitor.probe;

import com.foobar.platform.common.db.DatabaseNodeOptions;
import com.foobar.platform.common.db.NodeStatus;
import com.foobar.platform.common.db.NodeStatusReader;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClientOptions;
import io.vertx.mysqlclient.MySQLBuilder;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

import java.util.concurrent.TimeUnit;

/**
 * The monitor's connection to one database node: the node's own pool (one per node, because a pool over several
 * hosts does not skip a dead one; tiny, because the monitor reads a node once per round), the read through the
 * platform's one reader of a node ({@link NodeStatusReader}), bounded by the probe timeout, and the variables
 * shown for every node.
 */
final class NodeConnection {

  /** Two connections: one may still be stuck in a query that timed out while the next round probes. */
  static final int MAX_SIZE = 2;

  private final String address;
  private final Pool pool;
  private final int timeoutMs;

  NodeConnection(Vertx vertx, String name, MySQLConnectOptions connect, int timeoutMs) {
    this.timeoutMs = timeoutMs;
    this.address = DatabaseNodeOptions.address(connect);
    PoolOptions poolOptions = new PoolOptions()
      .setName("monitor-" + name)
      .setMaxSize(MAX_SIZE)
      .setMaxWaitQueueSize(MAX_SIZE)
      // The default wait for a pooled connection is 30 s: a dead node must fail within the probe timeout.
      .setConnectionTimeout(timeoutMs)
      .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS);
    this.pool = MySQLBuilder.pool()
      .with(poolOptions)
      .with(new NetClientOptions().setConnectTimeout(timeoutMs).setTcpKeepAlive(true))
      .connectingTo(connect)
      .using(vertx)
      .build();
  }

  /** Where the node is, as configured. */
  String address() {
    return address;
  }

  /**
   * The node's status on one connection; fails when the node cannot be asked within the timeout (the pool bounds
   * the connect, this the queries: one hung node must not hold up the verdict on the others).
   */
  Future<NodeStatus> read() {
    return pool.withConnection(NodeStatusReader::read).timeout(timeoutMs, TimeUnit.MILLISECONDS);
  }

  /** Who the node is, whether it accepts writes, its binlog position, and where it is. */
  JsonObject detail(NodeStatus status) {
    return new JsonObject().put("serverId", status.serverId()).put("readOnly", status.readOnly())
      .put("gtidBinlogPos", status.binlogState().position().toString()).put("address", address);
  }

  /** The detail of a node that could not be asked. */
  JsonObject unreached() {
    return new JsonObject().put("address", address);
  }

  Future<Void> close() {
    return pool.close();
  }
}
