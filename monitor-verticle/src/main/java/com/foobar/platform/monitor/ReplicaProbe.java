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
 * Probes a replica and the replication into it, on one connection, through the platform's one reader of a node. The node is up when it answers; replication
 * is a separate component, up only when both threads run and the lag is known and within the limit. A writable
 * replica stays up but carries a warning: writes to it would fork it from the primary.
 */
final class ReplicaProbe implements Probe {

  static final String WRITABLE = "replica is writable (read_only=0)";

  private final Component node;
  private final Component replication;
  private final String address;
  private final Pool pool;
  private final long maxLagSeconds;

  ReplicaProbe(Vertx vertx, Component node, MySQLConnectOptions connect, int timeoutMs, long maxLagSeconds) {
    this.node = node;
    this.replication = Component.replicationOf(node);
    this.address = NodePools.address(connect);
    this.pool = NodePools.create(vertx, node.name(), connect, timeoutMs);
    this.maxLagSeconds = maxLagSeconds;
  }

  @Override
  public List<Component> components() {
    return List.of(node, replication);
  }

  @Override
  public Future<Map<String, Observation>> run() {
    return pool.withConnection(NodeStatusReader::read).map(status -> observe(NodeVariables.from(status),
      status.error() != null ? ReplicationStatus.unreadable(status.error().replaceFirst("^" + ReplicationStatus.QUERY
        + " failed: ", "")) : ReplicationStatus.from(status.slave())));
  }

  private Map<String, Observation> observe(NodeVariables variables, ReplicationStatus status) {
    Observation nodeObservation = Observation.up(variables.toJson().put("address", address));
    if (!variables.readOnly()) {
      nodeObservation = nodeObservation.withWarning(WRITABLE);
    }
    JsonObject detail = status.toJson().put("maxLagSeconds", maxLagSeconds);
    String problem = status.problem(maxLagSeconds);
    Observation replicationObservation = (problem == null ? Observation.up(detail) : Observation.down(detail, problem))
      .withLag(status.secondsBehindMaster());
    return Map.of(node.name(), nodeObservation, replication.name(), replicationObservation);
  }

  @Override
  public Map<String, Observation> failed(String reason) {
    return Map.of(
      node.name(), Observation.down(new JsonObject().put("address", address), reason),
      replication.name(), Observation.down(new JsonObject().put("maxLagSeconds", maxLagSeconds),
        "replica " + node.name() + " cannot be asked: " + reason));
  }

  @Override
  public Future<Void> close() {
    return pool.close();
  }
}
