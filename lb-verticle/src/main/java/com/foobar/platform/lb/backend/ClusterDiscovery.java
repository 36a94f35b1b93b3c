package com.foobar.platform.lb.backend;

import com.foobar.platform.common.ClusterRegistry;
import com.foobar.platform.lb.LoadBalancerOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Under {@code -cluster}: keeps the balancer's pool in step with the application servers announced in the
 * cluster ({@link ClusterRegistry#SERVERS}). Every {@code discoveryIntervalMs} it reads the directory; a server
 * that appeared is added DOWN and takes traffic only after {@code rise} passed checks (then slow start ramps it
 * up), a server whose entry is gone (clean stop, or a dead JVM whose entry expired) is removed: no new requests,
 * in-flight ones finish. Backends from the config file or the admin API are never touched: discovery only
 * removes what it added. A failed read (cluster partition) changes nothing.
 */
public final class ClusterDiscovery {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterDiscovery.class);

  private final Vertx vertx;
  private final Backends backends;
  private final Supplier<LoadBalancerOptions> options;
  private final ClusterRegistry registry;
  private final Set<String> discovered = ConcurrentHashMap.newKeySet();
  private volatile boolean stopped;
  private boolean failing;

  public ClusterDiscovery(Vertx vertx, Backends backends, Supplier<LoadBalancerOptions> options) {
    this.vertx = vertx;
    this.backends = backends;
    this.options = options;
    this.registry = new ClusterRegistry(vertx, ClusterRegistry.SERVERS);
  }

  /** Reads the directory now, then after each completed read (reads never overlap). */
  public void start() {
    LOG.info("discovering application servers in the cluster every {} ms", options.get().discoveryIntervalMs());
    poll();
  }

  public void stop() {
    stopped = true;
  }

  private void poll() {
    if (stopped) {
      return;
    }
    registry.entries()
      .onSuccess(this::reconcile)
      .onFailure(this::readFailed)
      .onComplete(done -> vertx.setTimer(options.get().discoveryIntervalMs(), id -> poll()));
  }

  private void reconcile(Map<String, JsonObject> servers) {
    failing = false;
    servers.forEach((address, entry) -> {
      if (!discovered.contains(address) && backends.find(address).isEmpty()) {
        BackendSpec spec = new BackendSpec(BackendSpec.parseAddress(address), BackendSpec.DEFAULT_WEIGHT);
        if (backends.add(spec, true)) {
          discovered.add(address);
          LOG.info("server {} ({}) joined the cluster: checking it", address, entry.getString("name"));
        }
      }
    });
    for (String address : Set.copyOf(discovered)) {
      if (!servers.containsKey(address)) {
        discovered.remove(address);
        backends.find(address).ifPresent(backend -> {
          LOG.info("server {} left the cluster", address);
          backends.remove(backend);
        });
      }
    }
  }

  private void readFailed(Throwable failure) {
    // Keep the pool as it is: health checks still decide who gets traffic while the directory is unreadable.
    if (!failing) {
      LOG.warn("cannot read the cluster's server directory: {}", failure.getMessage());
    }
    failing = true;
  }
}
