package com.foobar.platform.app;

import com.foobar.platform.common.ClusterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Announces this application server in the cluster ({@code -cluster}) so balancers add it to their pools without
 * a config change: its public {@code host:port} and name go into {@link ClusterRegistry#SERVERS}, refreshed every
 * {@code announceInterval} ms with a time-to-live of three intervals ({@link #ttl()}). A JVM that dies stops refreshing and its
 * entry expires; a clean stop withdraws it at once. The balancer still health-checks an announced server before
 * it sends traffic, so announcing only makes a server known, never trusted.
 */
final class ServerAnnouncer {

  private static final Logger LOG = LoggerFactory.getLogger(ServerAnnouncer.class);

  private final Vertx vertx;
  private final ClusterRegistry registry;
  private final String address;
  private final JsonObject entry;
  private final long interval;
  private long timer = -1;
  private boolean failing;

  ServerAnnouncer(Vertx vertx, String name, String address, long interval) {
    this.vertx = vertx;
    this.registry = new ClusterRegistry(vertx, ClusterRegistry.SERVERS);
    this.address = address;
    this.entry = new JsonObject().put("address", address).put("name", name);
    this.interval = interval;
  }

  /** Announces once (the returned future) and then keeps refreshing on a timer. */
  Future<Void> start() {
    return announce().onSuccess(done -> {
      LOG.info("announced {} in the cluster as {}", entry.getString("name"), address);
      timer = vertx.setPeriodic(interval, id -> announce());
    });
  }

  private Future<Void> announce() {
    return registry.announce(address, entry, ttl())
      .onSuccess(done -> failing = false)
      .onFailure(failure -> {
        // Logged once per outage: a partitioned member retries every interval and recovers by itself.
        if (!failing) {
          LOG.warn("could not announce {} in the cluster: {}", address, failure.getMessage());
        }
        failing = true;
      });
  }

  /** See {@link ClusterRegistry#ttl(long)}. */
  long ttl() {
    return ClusterRegistry.ttl(interval);
  }

  Future<Void> stop() {
    vertx.cancelTimer(timer);
    return registry.withdraw(address).otherwiseEmpty();
  }
}
