package com.foobar.platform.monitor.failover;

import com.foobar.platform.common.ClusterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Under {@code -cluster}: puts every database node the failover manager manages (configured and discovered,
 * the writer included: applications find it by {@code read_only}) into the cluster's database directory
 * ({@link ClusterRegistry#DATABASES}) every interval, with a time-to-live of three intervals. Application servers
 * read that directory and add the nodes they were not configured with, so a new replica serves reads with no
 * configuration change anywhere; a node the manager forgot expires from the directory by itself.
 */
final class TopologyPublisher {

  private static final Logger LOG = LoggerFactory.getLogger(TopologyPublisher.class);

  private final Vertx vertx;
  private final FailoverManager manager;
  private final ClusterRegistry registry;
  private final long interval;
  private long timer = -1;
  private boolean failing;

  TopologyPublisher(Vertx vertx, FailoverManager manager, long interval) {
    this.vertx = vertx;
    this.manager = manager;
    this.registry = new ClusterRegistry(vertx, ClusterRegistry.DATABASES);
    this.interval = interval;
  }

  void start() {
    publish();
    timer = vertx.setPeriodic(interval, id -> publish());
  }

  private void publish() {
    long ttl = ClusterRegistry.ttl(interval);
    announce(new JsonObject().put("name", manager.writerName()).put("address", manager.writerAddress()), ttl);
    manager.replicas().forEach(node -> announce(new JsonObject().put("name", node.getString("name"))
      .put("address", node.getString("address")), ttl));
  }

  private void announce(JsonObject entry, long ttl) {
    registry.announce(entry.getString("address"), entry, ttl)
      .onSuccess(done -> failing = false)
      .onFailure(failure -> {
        if (!failing) {
          LOG.warn("could not publish the database nodes in the cluster: {}", failure.getMessage());
        }
        failing = true;
      });
  }

  void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }
}
