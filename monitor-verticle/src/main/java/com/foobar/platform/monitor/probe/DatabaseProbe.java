package com.foobar.platform.monitor.probe;

import com.foobar.platform.common.db.NodeStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.mysqlclient.MySQLConnectOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * Probes every database node in one round and reports them by role, the way the app names its pools: the node
 * that accepts writes is {@code primary}, the others {@code replica-1}, {@code replica-2}, ... each with the
 * replication into it ({@link ReplicationHealth}). Roles follow the nodes, not the configuration: after a failover
 * or a switchover the new writer is {@code primary} and the old one, once back and read-only, a replica that
 * replicates. Without that, a planned switchover would leave "primary" down (read-only) and a "replica" writable,
 * and page until the configuration was edited. A role changes hands only when exactly one node is writable: with
 * none, the primary is down ({@value #READ_ONLY}); with two, both stay where they were and the rules see the fork.
 */
final class DatabaseProbe implements Probe {

  private static final Logger LOG = LoggerFactory.getLogger(DatabaseProbe.class);
  static final String READ_ONLY = "read_only";
  static final String WRITABLE = "replica is writable (read_only=0)";

  private final List<NodeConnection> nodes = new ArrayList<>();
  /** The node (index into {@link #nodes}) holding each role: 0 is the primary, n the n-th replica. */
  private final int[] nodeInRole;
  private final List<Component> components = new ArrayList<>();
  private final long timeoutMs;
  private final long maxLagSeconds;

  /** {@code connects}: the primary as configured first, then each replica. */
  DatabaseProbe(Vertx vertx, List<MySQLConnectOptions> connects, int timeoutMs, long maxLagSeconds) {
    this.timeoutMs = timeoutMs;
    this.maxLagSeconds = maxLagSeconds;
    this.nodeInRole = new int[connects.size()];
    for (int n = 0; n < connects.size(); n++) {
      nodeInRole[n] = n;
      Component role = role(n);
      nodes.add(new NodeConnection(vertx, role.name(), connects.get(n), timeoutMs));
      components.add(role);
      if (n > 0) {
        components.add(Component.replicationOf(role));
      }
    }
  }

  private static Component role(int n) {
    return n == 0 ? Component.primary() : Component.replica(n);
  }

  @Override
  public List<Component> components() {
    return List.copyOf(components);
  }

  /** Each node's read is bounded by the timeout itself, so the round waits a little longer for the verdict. */
  @Override
  public long boundMs(long timeoutMs) {
    return 2 * timeoutMs;
  }

  @Override
  public Future<Map<String, Observation>> run() {
    List<Future<NodeStatus>> reads = nodes.stream().map(NodeConnection::read).toList();
    return Future.join(reads).transform(done -> Future.succeededFuture(observe(reads)));
  }

  private Map<String, Observation> observe(List<Future<NodeStatus>> reads) {
    followTheWriter(reads);
    Map<String, Observation> found = new LinkedHashMap<>();
    for (int role = 0; role < nodeInRole.length; role++) {
      int node = nodeInRole[role];
      Future<NodeStatus> read = reads.get(node);
      if (read.failed()) {
        observeUnreached(role, nodes.get(node), reason(read.cause()), found);
      } else if (role == 0) {
        NodeStatus status = read.result();
        JsonObject detail = nodes.get(node).detail(status);
        found.put(Component.PRIMARY, status.readOnly() ? Observation.down(detail, READ_ONLY) : Observation.up(detail));
      } else {
        observeReplica(role, nodes.get(node), read.result(), found);
      }
    }
    return found;
  }

  /** Moves the one writable node into the primary's role, and the node that held it into the writer's old role. */
  private void followTheWriter(List<Future<NodeStatus>> reads) {
    List<Integer> writable = new ArrayList<>();
    for (int node = 0; node < reads.size(); node++) {
      if (reads.get(node).succeeded() && !reads.get(node).result().readOnly()) {
        writable.add(node);
      }
    }
    if (writable.size() != 1 || nodeInRole[0] == writable.get(0)) {
      return;
    }
    int writer = writable.get(0);
    for (int role = 1; role < nodeInRole.length; role++) {
      if (nodeInRole[role] == writer) {
        LOG.info("the writable node is now {} (was {}): it is the primary, {} is {}", nodes.get(writer).address(),
          nodes.get(nodeInRole[0]).address(), nodes.get(nodeInRole[0]).address(), role(role).name());
        nodeInRole[role] = nodeInRole[0];
        nodeInRole[0] = writer;
        return;
      }
    }
  }

  private void observeReplica(int role, NodeConnection node, NodeStatus status, Map<String, Observation> found) {
    Component replica = role(role);
    Observation observed = Observation.up(node.detail(status));
    if (!status.readOnly()) {
      observed = observed.withWarning(WRITABLE);
    }
    JsonObject detail = ReplicationHealth.detail(status.slave(), maxLagSeconds);
    String problem = ReplicationHealth.problem(status, maxLagSeconds);
    Observation replicating = (problem == null ? Observation.up(detail) : Observation.down(detail, problem))
      .withLag(status.slave().secondsBehindMaster());
    found.put(replica.name(), observed);
    found.put(Component.replicationOf(replica).name(), replicating);
  }

  private void observeUnreached(int role, NodeConnection node, String reason, Map<String, Observation> found) {
    Component component = role(role);
    found.put(component.name(), Observation.down(node.unreached(), reason));
    if (role > 0) {
      found.put(Component.replicationOf(component).name(), Observation.down(
        new JsonObject().put("maxLagSeconds", maxLagSeconds), "replica " + component.name() + " cannot be asked: " + reason));
    }
  }

  private String reason(Throwable failure) {
    return failure instanceof TimeoutException ? "no answer within " + timeoutMs + " ms" : Failures.describe(failure);
  }

  @Override
  public Map<String, Observation> failed(String reason) {
    Map<String, Observation> found = new LinkedHashMap<>();
    for (int role = 0; role < nodeInRole.length; role++) {
      observeUnreached(role, nodes.get(nodeInRole[role]), reason, found);
    }
    return found;
  }

  @Override
  public Future<Void> close() {
    return Future.join(nodes.stream().map(NodeConnection::close).toList()).mapEmpty();
  }
}
