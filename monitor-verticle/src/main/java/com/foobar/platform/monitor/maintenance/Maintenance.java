package com.foobar.platform.monitor.maintenance;

import io.vertx.core.json.JsonObject;

import java.time.Instant;

/**
 * One planned operation on a component, as the status page and {@code /api/status} show it: what it is (a drain
 * at the balancer, a switchover), who started it (as they said, with the token id and address they came from)
 * and since when. A component in maintenance raises no alert: its state is planned, not an incident.
 */
public record Maintenance(String what, String by, Instant since) {

  public JsonObject toJson() {
    return new JsonObject().put("what", what).put("by", by).put("since", since == null ? null : since.toString());
  }
}
