package com.foobar.platform.common.db;

/**
 * A database node as an election sees it: its name, the {@code host:port} its replicas connect to (what their
 * {@code SHOW SLAVE STATUS} names), and its last {@link NodeStatus}.
 */
public record Member(String name, String address, NodeStatus status) {

  /** True when this node's replication is configured to fetch from {@code source}. */
  public boolean replicatesFrom(Member source) {
    return source.address().equals(status.slave().source());
  }
}
