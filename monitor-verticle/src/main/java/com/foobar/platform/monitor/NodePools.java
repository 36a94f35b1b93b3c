package com.foobar.platform.monitor;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.mysqlclient.MySQLBuilder;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

import java.util.concurrent.TimeUnit;

/**
 * The monitor's pool for one database node: one pool per node because a pool over several hosts does not skip
 * a dead one, and tiny because the monitor runs one probe at a time per node.
 */
final class NodePools {

  /** Two connections: one may still be stuck in a query that timed out while the next round probes. */
  static final int MAX_SIZE = 2;

  private NodePools() {
  }

  static Pool create(Vertx vertx, String node, MySQLConnectOptions connect, int timeoutMs) {
    PoolOptions pool = new PoolOptions()
      .setName("monitor-" + node)
      .setMaxSize(MAX_SIZE)
      .setMaxWaitQueueSize(MAX_SIZE)
      // The default wait for a pooled connection is 30 s: a dead node must fail within the probe timeout.
      .setConnectionTimeout(timeoutMs)
      .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS);
    return MySQLBuilder.pool()
      .with(pool)
      .with(new NetClientOptions().setConnectTimeout(timeoutMs).setTcpKeepAlive(true))
      .connectingTo(connect)
      .using(vertx)
      .build();
  }

  static String address(MySQLConnectOptions connect) {
    return connect.getHost() + ":" + connect.getPort();
  }
}
