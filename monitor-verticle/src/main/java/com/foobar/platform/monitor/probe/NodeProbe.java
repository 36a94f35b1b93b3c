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
 * What the probes of a database node share: the node's own pool (one per node, because a pool over several
 * hosts does not skip a dead one; tiny, because the monitor runs one probe at a time per node), the read through
 * the platform's one reader of a node ({@link NodeStatusReader}) and the variables shown for every node.
 */
abstract class NodeProbe implements Probe {

  /** Two connections: one may still be stuck in a query that timed out while the next round probes. */
  static final int MAX_SIZE = 2;

  private final Component node;
  private final String address;
  private final Pool pool;

  NodeProbe(Vertx vertx, Component node, MySQLConnectOptions connect, int timeoutMs) {
    this.node = node;
    this.address = DatabaseNodeOptions.address(connect);
    PoolOptions poolOptions = new PoolOptions()
      .setName("monitor-" + node.name())
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

  Component node() {
    return node;
  }

  /** The node's status on one connection; fails when the node cannot be asked. */
  Future<NodeStatus> read() {
    return pool.withConnection(NodeStatusReader::read);
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

  @Override
  public Future<Void> close() {
    return pool.close();
  }
}
