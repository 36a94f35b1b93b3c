package com.foobar.platform.monitor.failover;

/**
 * A replica as its primary lists it in {@code SHOW SLAVE HOSTS}: the server id and the host and port the replica
 * reported ({@code report_host}/{@code report_port}; MariaDB fills in the connection's address when
 * {@code report_host} is unset).
 */
record ReplicaHost(long serverId, String host, int port) {

  String address() {
    return host + ":" + port;
  }

  /** The name a discovered node goes by: its server id, unique in a replication topology. */
  String name() {
    return "server-" + serverId;
  }
}
