package com.foobar.platform.lb.balance;

import com.foobar.platform.lb.backend.Backend;

import java.util.List;

/**
 * A balancing algorithm (HAProxy's {@code balance}, one file per algorithm as {@code lb_fwrr.c} and
 * {@code lb_fwlc.c}): which of the backends gets the next request. {@link BackendChoice} calls it for every
 * request with the pool's current array, so an implementation walks it without allocating.
 */
public interface Balance {

  /**
   * The backend for the next request among the candidates of {@code backends} ({@link #isCandidate}), or null
   * when there is none.
   */
  Backend pick(Backend[] backends, List<Backend> exclude, boolean freeOnly);

  /** The algorithm the {@code balance} key names: {@code roundrobin} or {@code leastconn}. */
  static Balance named(String balance) {
    return "leastconn".equals(balance) ? new LeastConnections() : new SmoothWeightedRoundRobin();
  }

  /** Takes traffic, not excluded, and (when {@code freeOnly}) has a free slot. */
  static boolean isCandidate(Backend backend, List<Backend> exclude, boolean freeOnly) {
    return backend.takesTraffic() && !exclude.contains(backend) && (!freeOnly || backend.slots().hasFree());
  }
}
