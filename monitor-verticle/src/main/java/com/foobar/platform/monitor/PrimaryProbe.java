package com.foobar.platform.monitor;

import com.foobar.platform.common.db.NodeStatusReader;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.sqlclient.Pool;

import java.util.List;
import java.util.Map;

/**
 * Probes the primary: up when it answers and accepts writes. A read-only primary cannot take the site's
 * writes, so it is reported down with reason {@code read_only} though it answers.
 */
final class PrimaryProbe implements Probe {

  static final String READ_ONLY = "read_only";

  private final Component component;
  private final String address;
  private final Pool pool;

  PrimaryProbe(Vertx vertx, Component component, MySQLConnectOptions connect, int timeoutMs) {
    this.component = component;
    this.address = NodePools.address(connect);
    this.pool = NodePools.create(vertx, component.name(), connect, timeoutMs);
  }

  @Override
  public List<Component> components() {
    return List.of(component);
  }

  @Override
  public Future<Map<String, Observation>> run() {
    return pool.withConnection(NodeStatusReader::read)
      .map(NodeVariables::from)
      .map(this::observe)
      .map(observation -> Map.of(component.name(), observation));
  }

  private Observation observe(NodeVariables variables) {
    JsonObject detail = variables.toJson().put("address", address);
    return variables.readOnly() ? Observation.down(detail, READ_ONLY) : Observation.up(detail);
  }

  @Override
  public Map<String, Observation> failed(String reason) {
    return Map.of(component.name(), Observation.down(new JsonObject().put("address", address), reason));
  }

  @Override
  public Future<Void> close() {
    return pool.close();
  }
}
