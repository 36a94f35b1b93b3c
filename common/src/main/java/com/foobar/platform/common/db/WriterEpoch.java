package com.foobar.platform.common.db;

import io.vertx.core.json.JsonObject;

/**
 * One promotion, as a row of {@code foobar_ha.writer_epoch}: written on the new writer, before it is made
 * writable, by whoever promotes it (the monitor's failover manager, {@code scripts/mariadb-pair} through
 * {@link RolesTool}); it replicates like any write. {@code base} is the new writer's position when it took over:
 * whatever a node of an older epoch holds beyond it was never part of the writers' history.
 */
public record WriterEpoch(long epoch, long serverId, String node, GtidState base) {

  public JsonObject toJson() {
    return new JsonObject().put("epoch", epoch).put("serverId", serverId).put("node", node)
      .put("base", base.toString());
  }
}
