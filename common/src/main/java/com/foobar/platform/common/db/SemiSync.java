package com.foobar.platform.common.db;

import io.vertx.core.json.JsonObject;

/**
 * A node's semi-synchronous replication as its status variables show it. On the writer,
 * {@code Rpl_semi_sync_master_status} OFF while semi-sync is enabled is the window in which an acknowledged
 * write may exist on the writer only: it fell back to asynchronous replication (no replica acknowledged within
 * {@code rpl_semi_sync_master_timeout}).
 */
public record SemiSync(boolean masterEnabled, boolean masterActive, long masterClients, boolean slaveActive) {

  public static final SemiSync UNKNOWN = new SemiSync(false, false, 0, false);

  /** Writes on this node wait for a replica's acknowledgement. */
  public boolean acknowledged() {
    return masterEnabled && masterActive;
  }

  public JsonObject toJson() {
    return new JsonObject().put("masterEnabled", masterEnabled).put("masterActive", masterActive)
      .put("masterClients", masterClients).put("slaveActive", slaveActive);
  }
}
