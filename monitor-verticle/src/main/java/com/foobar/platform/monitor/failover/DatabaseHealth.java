package com.foobar.platform.monitor.failover;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The database tier's durability as the failover manager last saw it, for the monitor's alert rules, status page
 * and {@code /api/status}: the writer and its epoch, whether its writes wait for a replica's acknowledgement
 * ({@code semiSyncActive}: false is the window in which an acknowledged write can be lost with the writer; null
 * when unknown), the errant nodes with the GTIDs only they hold, why no writer can be settled (null when one
 * is), and the automatic promotions so far.
 *
 * @param failovers every automatic or forced promotion since the monitor started, oldest first
 */
public record DatabaseHealth(String writer, long epoch, Boolean semiSyncActive, Map<String, String> errant,
                             String noSafeWriter, List<Failover> failovers) {

  /** One promotion after a lost writer. */
  public record Failover(long epoch, String node, String lost, Instant at) {
  }

  public JsonObject toJson() {
    JsonObject errantJson = new JsonObject();
    errant.forEach(errantJson::put);
    JsonArray promotions = new JsonArray();
    failovers.forEach(f -> promotions.add(new JsonObject().put("epoch", f.epoch()).put("node", f.node())
      .put("lost", f.lost()).put("at", f.at().toString())));
    return new JsonObject().put("writer", writer).put("epoch", epoch).put("semiSyncActive", semiSyncActive)
      .put("errant", errantJson).put("noSafeWriter", noSafeWriter).put("failovers", promotions);
  }
}
