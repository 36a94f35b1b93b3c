package com.foobar.platform.monitor.failover;

import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Finds the replicas the configuration does not name, the way orchestrator and MaxScale do: the writer's
 * {@code SHOW SLAVE HOSTS} (the failover account has REPLICATION MASTER ADMIN for it) lists every replica
 * connected to it. A new one joins the managed nodes, so failover considers and re-points it, and
 * {@link FailoverManager#replicas()} (published to the cluster) carries it to the application servers. A
 * discovered node the writer no longer lists and that cannot be reached is forgotten; configured nodes never are.
 */
final class ReplicaDiscovery {

  private final Function<ReplicaHost, ClusterNode> newNode;
  private final Set<String> discovered = ConcurrentHashMap.newKeySet();

  ReplicaDiscovery(Function<ReplicaHost, ClusterNode> newNode) {
    this.newNode = newNode;
  }

  /**
   * Adds to {@code nodes} the replicas {@code writer} lists and removes forgotten ones; completes with a
   * description of each change. A writer that cannot be asked changes nothing.
   */
  Future<List<String>> update(ClusterNode writer, List<ClusterNode> nodes) {
    if (!writer.status().reachable()) {
      return Future.succeededFuture(List.of());
    }
    return writer.replicaHosts()
      .map(hosts -> {
        List<String> changes = new ArrayList<>();
        adopt(hosts, nodes, changes);
        forget(hosts, writer, nodes, changes);
        return changes;
      })
      .otherwise(failure -> List.of());
  }

  private void adopt(List<ReplicaHost> hosts, List<ClusterNode> nodes, List<String> changes) {
    for (ReplicaHost host : hosts) {
      boolean known = nodes.stream().anyMatch(node -> node.address().equals(host.address())
        || node.name().equals(host.name()));
      if (!known && host.port() > 0 && host.host() != null && !host.host().isBlank()) {
        nodes.add(newNode.apply(host));
        discovered.add(host.name());
        changes.add("discovered " + host.name() + " at " + host.address());
      }
    }
  }

  private void forget(List<ReplicaHost> hosts, ClusterNode writer, List<ClusterNode> nodes, List<String> changes) {
    for (ClusterNode node : nodes) {
      boolean listed = hosts.stream().anyMatch(host -> host.address().equals(node.address()));
      if (discovered.contains(node.name()) && node != writer && !listed && !node.status().reachable()) {
        nodes.remove(node);
        discovered.remove(node.name());
        node.close();
        changes.add("forgot " + node.name() + " at " + node.address() + ": gone from SHOW SLAVE HOSTS and unreachable");
      }
    }
  }

  boolean isDiscovered(ClusterNode node) {
    return discovered.contains(node.name());
  }
}
