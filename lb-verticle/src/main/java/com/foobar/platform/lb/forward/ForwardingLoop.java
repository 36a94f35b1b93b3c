package com.foobar.platform.lb.forward;

import com.foobar.platform.lb.LoadBalancerOptions;
import com.foobar.platform.lb.edge.ConnectionDrain;
import com.foobar.platform.lb.edge.EdgeRules;
import com.foobar.platform.lb.metrics.LbMetrics;
import io.vertx.core.Vertx;

import java.util.function.Supplier;

/**
 * What every stage of forwarding on one event loop works with, handed from {@link ProxyHandler} to
 * {@link Exchange} as one: the Vert.x instance, the configuration (reloadable: read it {@link #now}), the metrics,
 * the edge rules and the drain of this loop's client connections.
 */
record ForwardingLoop(Vertx vertx, Supplier<LoadBalancerOptions> options, LbMetrics metrics, EdgeRules edge,
                      ConnectionDrain drain) {

  /** The configuration now. */
  LoadBalancerOptions now() {
    return options.get();
  }
}
