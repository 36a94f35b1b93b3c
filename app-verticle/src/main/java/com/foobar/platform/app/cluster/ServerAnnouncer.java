package com.foobar.platform.app.cluster;

import com.foobar.platform.common.ClusterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Announces this application server in the cluster ({@code -cluster}) so balancers add it to their pools without
 * a config change: its public {@code host:port} and name go into {@link ClusterRegistry#SERVERS}, refreshed every
 * {@code announceIntervalMs} with a time-to-live of three intervals ({@link #ttl()}). A JVM that dies stops
 * refreshing and its entry expires; a clean stop withdraws it at once. The balancer still health-checks an announced server before
 * it sends traffic, so announcing only makes a server known, never trusted.
 */
public final class ServerAnnouncer {

  private static final Logger LOG = LoggerFactory.getLogger(ServerAnnouncer.class);

  private final Vertx vertx;
  private final ClusterRegistry registry;
  private final String address;
  private final JsonObject entry;
  private final long intervalMs;
  private long timer = -1;
  private boolean failing;

  public ServerAnnouncer(Vertx vertx, String name, String address, long intervalMs) {
    this.vertx = vertx;
    this.registry = new ClusterRegistry(vertx, ClusterRegistry.SERVERS);
    this.address = address;
    this.entry = new JsonObject().put("address", address).put("name", name);
    this.intervalMs = intervalMs;
  }

  /**
   * The address to announce: {@code cluster.advertise}, else the configured host and the port bound; a wildcard
   * host is no address a balancer can reach, so then {@code advertise} is required.
   */
  public static Future<String> address(AnnounceOptions cluster, String host, int boundPort) {
    if (!cluster.advertise().isEmpty()) {
      return Future.succeededFuture(cluster.advertise());
    }
    if (host.equals("0.0.0.0") || host.equals("::")) {
      return Future.failedFuture(new IllegalArgumentException("host " + host + " is no address a balancer can reach:"
        + " set cluster.advertise (FOOBAR_APP_CLUSTER_ADVERTISE=host:port)"));
    }
    return Future.succeededFuture(host + ":" + boundPort);
  }

  /** Announces once (the returned future) and then keeps refreshing on a timer. */
  public Future<Void> start() {
    return announce().onSuccess(done -> {
      LOG.info("announced {} in the cluster as {}", entry.getString("name"), address);
      timer = vertx.setPeriodic(intervalMs, id -> announce());
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
    return ClusterRegistry.ttl(intervalMs);
  }

  public Future<Void> stop() {
    vertx.cancelTimer(timer);
    return registry.withdraw(address).otherwiseEmpty();
  }
}
