package com.foobar.platform.common.db;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * Everything one check ({@link NodeStatusReader}) learns of a database node: whether it answered, whether it
 * takes writes ({@code read_only}), its GTID history, its replication ({@code SHOW SLAVE STATUS}), its
 * semi-synchronous state, and the promotions it knows of ({@code foobar_ha.writer_epoch}, newest first; null
 * when the table could not be read, empty when it holds none or does not exist yet).
 */
public record NodeStatus(boolean reachable, String error, long serverId, boolean readOnly, GtidState binlogState,
                         GtidState slavePos, GtidState currentPos, SlaveStatus slave, SemiSync semiSync,
                         List<WriterEpoch> epochs) {

  /** The node could not be reached (connection refused, timed out). */
  public static NodeStatus unreachable(String error) {
    return new NodeStatus(false, error, 0, true, GtidState.EMPTY, GtidState.EMPTY, GtidState.EMPTY, SlaveStatus.NONE,
      SemiSync.UNKNOWN, null);
  }

  /** The node answered but its state could not be read (access denied, say): up, yet no evidence. */
  public static NodeStatus unreadable(String error) {
    return new NodeStatus(true, error, 0, true, GtidState.EMPTY, GtidState.EMPTY, GtidState.EMPTY, SlaveStatus.NONE,
      SemiSync.UNKNOWN, null);
  }

  /** The same status with {@code error}: the node answered, but not everything could be read. */
  public NodeStatus withError(String error) {
    return new NodeStatus(reachable, error, serverId, readOnly, binlogState, slavePos, currentPos, slave, semiSync,
      epochs);
  }

  /** Its server variables were read ({@code server_id} is never 0 on a node that logs), whatever else failed. */
  public boolean variablesRead() {
    return reachable && serverId > 0;
  }

  /** Answered and read: its state is evidence. */
  public boolean checked() {
    return reachable && error == null;
  }

  public boolean writable() {
    return checked() && !readOnly;
  }

  /**
   * Every transaction the node holds: its binlog (all nodes log replicated transactions too), and its replication
   * position, which is all a node re-imaged from a backup has before it logs anything.
   */
  public GtidState history() {
    return binlogState.merge(slavePos);
  }

  /** The latest promotion the node knows of; null when none or unknown. */
  public WriterEpoch latestEpoch() {
    return epochs == null || epochs.isEmpty() ? null : epochs.get(0);
  }

  /** The latest epoch the node knows of: 0 before any promotion, -1 when it could not be read. */
  public long epoch() {
    return epochs == null ? -1 : epochs.isEmpty() ? 0 : epochs.get(0).epoch();
  }

  public JsonObject toJson() {
    JsonArray known = new JsonArray();
    if (epochs != null) {
      epochs.forEach(epoch -> known.add(epoch.toJson()));
    }
    return new JsonObject().put("reachable", reachable).put("error", error).put("serverId", serverId)
      .put("readOnly", readOnly).put("gtidBinlogState", binlogState.toString())
      .put("gtidSlavePos", slavePos.toString()).put("gtidCurrentPos", currentPos.toString())
      .put("replication", slave.toJson()).put("semiSync", semiSync.toJson()).put("epoch", epoch())
      .put("epochs", epochs == null ? null : known);
  }
}
