package com.foobar.platform.app.db;

import com.foobar.platform.common.ClusterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.HostAndPort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Under {@code -cluster}: the database nodes the monitor publishes ({@link ClusterRegistry#DATABASES}: every node
 * its failover manager manages, replicas it discovered included) that this server was not configured with join
 * its {@link DatabaseNodes}, and leave once their entries expire. A learned node is checked like any other before it
 * serves a read (replicating, within {@code maxReplicationLagSeconds}). While the directory cannot be read, nothing
 * changes.
 */
final class DatabaseDirectory {

  private static final Logger LOG = LoggerFactory.getLogger(DatabaseDirectory.class);

  private final ClusterRegistry registry;
  private final DatabaseNodes nodes;
  private final String server;

  DatabaseDirectory(Vertx vertx, DatabaseNodes nodes, String server) {
    this.registry = new ClusterRegistry(vertx, ClusterRegistry.DATABASES);
    this.nodes = nodes;
    this.server = server;
  }

  /** Reads the directory once and brings the node set in line with it. Never fails. */
  Future<Void> sync() {
    return registry.entries()
      .compose(this::apply)
      .otherwise(failure -> {
        LOG.debug("{}: cannot read the database directory: {}", server, failure.getMessage());
        return null;
      });
  }

  private Future<Void> apply(Map<String, JsonObject> entries) {
    Set<String> announced = new TreeSet<>();
    List<Future<?>> learning = new ArrayList<>();
    for (JsonObject entry : entries.values()) {
      HostAndPort address = HostAndPort.parseAuthority(String.valueOf(entry.getString("address")), -1);
      if (address == null || address.port() <= 0) {
        continue;
      }
      announced.add(address.host() + ":" + address.port());
      String name = entry.getString("name", address.host() + ":" + address.port());
      learning.add(nodes.learn(name, address.host(), address.port()).onSuccess(added -> {
        if (added) {
          LOG.info("{}: database node {} at {} joined from the cluster's directory", server, name, address);
        }
      }));
    }
    return Future.join(learning).otherwiseEmpty().map(done -> {
      nodes.forget(announced).forEach(name ->
        LOG.info("{}: database node {} left (no longer in the cluster's directory)", server, name));
      return null;
    });
  }
}
