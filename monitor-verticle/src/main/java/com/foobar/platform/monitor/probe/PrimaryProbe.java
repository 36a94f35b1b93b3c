package com.foobar.platform.monitor.probe;

import com.foobar.platform.common.db.NodeStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.mysqlclient.MySQLConnectOptions;

import java.util.List;
import java.util.Map;

/**
 * Probes the primary: up when it answers and accepts writes. A read-only primary cannot take the site's
 * writes, so it is reported down with reason {@code read_only} though it answers.
 */
final class PrimaryProbe extends NodeProbe {

  static final String READ_ONLY = "read_only";

  PrimaryProbe(Vertx vertx, Component component, MySQLConnectOptions connect, int timeoutMs) {
    super(vertx, component, connect, timeoutMs);
  }

  @Override
  public List<Component> components() {
    return List.of(node());
  }

  @Override
  public Future<Map<String, Observation>> run() {
    return read().map(status -> Map.of(node().name(), observe(status)));
  }

  private Observation observe(NodeStatus status) {
    return status.readOnly() ? Observation.down(detail(status), READ_ONLY) : Observation.up(detail(status));
  }

  @Override
  public Map<String, Observation> failed(String reason) {
    return Map.of(node().name(), Observation.down(unreached(), reason));
  }
}
