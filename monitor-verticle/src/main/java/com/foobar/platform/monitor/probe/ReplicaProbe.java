package com.foobar.platform.monitor.probe;

import com.foobar.platform.common.db.NodeStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.mysqlclient.MySQLConnectOptions;

import java.util.List;
import java.util.Map;

/**
 * Probes a replica and the replication into it, in one read of the node. The node is up when it answers;
 * replication is a separate component, judged by {@link ReplicationHealth}. A writable replica stays up but
 * carries a warning: writes to it would fork it from the primary.
 */
final class ReplicaProbe extends NodeProbe {

  static final String WRITABLE = "replica is writable (read_only=0)";

  private final Component replication;
  private final long maxLagSeconds;

  ReplicaProbe(Vertx vertx, Component node, MySQLConnectOptions connect, int timeoutMs, long maxLagSeconds) {
    super(vertx, node, connect, timeoutMs);
    this.replication = Component.replicationOf(node);
    this.maxLagSeconds = maxLagSeconds;
  }

  @Override
  public List<Component> components() {
    return List.of(node(), replication);
  }

  @Override
  public Future<Map<String, Observation>> run() {
    return read().map(this::observe);
  }

  private Map<String, Observation> observe(NodeStatus status) {
    Observation node = Observation.up(detail(status));
    if (!status.readOnly()) {
      node = node.withWarning(WRITABLE);
    }
    JsonObject detail = ReplicationHealth.detail(status.slave(), maxLagSeconds);
    String problem = ReplicationHealth.problem(status, maxLagSeconds);
    Observation replicating = (problem == null ? Observation.up(detail) : Observation.down(detail, problem))
      .withLag(status.slave().secondsBehindMaster());
    return Map.of(node().name(), node, replication.name(), replicating);
  }

  @Override
  public Map<String, Observation> failed(String reason) {
    return Map.of(
      node().name(), Observation.down(unreached(), reason),
      replication.name(), Observation.down(new JsonObject().put("maxLagSeconds", maxLagSeconds),
        "replica " + node().name() + " cannot be asked: " + reason));
  }
}
