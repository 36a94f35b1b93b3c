package com.foobar.platform.lb.backend;

import com.foobar.platform.lb.LoadBalancerOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The backends of a deployment as operators and the configuration change them: adding one starts its checks and
 * tells the {@link Listener} (its series and health entry appear), removing one stops new requests to it while
 * in-flight ones finish. The list itself is the {@link BackendPool} the request path reads.
 */
public final class Backends {

  /** What else follows a backend's arrival and departure (metrics, the health endpoint). */
  public interface Listener {
    void added(Backend backend);

    void removed(Backend backend);
  }

  private static final Logger LOG = LoggerFactory.getLogger(Backends.class);

  private final BackendPool pool;
  private final HealthChecker checker;
  private final Supplier<LoadBalancerOptions> options;
  private final Listener listener;

  public Backends(BackendPool pool, HealthChecker checker, Supplier<LoadBalancerOptions> options, Listener listener) {
    this.pool = pool;
    this.checker = checker;
    this.options = options;
    this.listener = listener;
  }

  /** Adds a backend (configuration or admin API): checks start, metrics appear. False when it exists. */
  public boolean add(BackendSpec spec) {
    return add(spec, false);
  }

  /**
   * Adds a backend; {@code startDown}: it gets no traffic until it passed {@code rise} checks (a server that
   * only announced itself, {@link ClusterDiscovery}), where a configured one is trusted until checks say not.
   */
  public boolean add(BackendSpec spec, boolean startDown) {
    LoadBalancerOptions now = options.get();
    Backend backend = new Backend(spec, now);
    for (int i = 0; startDown && i < now.fall(); i++) {
      backend.recordFailure("announced in the cluster, not checked yet");
    }
    if (!pool.add(backend)) {
      return false;
    }
    listener.added(backend);
    checker.start(backend);
    LOG.info("backend {} added (weight {})", backend.name(), spec.weight());
    return true;
  }

  /** Removes a backend: no new requests, in-flight ones finish, its checks and series go. */
  public void remove(Backend backend) {
    if (pool.remove(backend)) {
      listener.removed(backend);
      LOG.info("backend {} removed", backend.name());
    }
  }

  public Optional<Backend> find(String name) {
    return pool.find(name);
  }

  public List<Backend> all() {
    return pool.all();
  }

  /** A reload's check settings (rise, fall, errorLimit, slowStart) for every backend. */
  public void configure(LoadBalancerOptions next) {
    pool.all().forEach(backend -> backend.configure(next));
  }
}
