package com.foobar.platform.lb.backend;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The backends of one balancer deployment (HAProxy's server list of a backend section). The list may change at
 * runtime through the admin API, a reload or cluster discovery; it is an array replaced whole on every change,
 * so the per-request choice ({@code lb.balance}) walks it without a lock and without allocating.
 */
public final class BackendPool {

  /** Replaced whole (under the lock) on every change; read without it. */
  private volatile Backend[] backends = new Backend[0];

  /** The backends now (an unmodifiable snapshot). */
  public List<Backend> all() {
    return List.of(backends);
  }

  /**
   * The backends now, as the array itself, for the per-request walk: it is never modified in place (a change
   * replaces it), and callers must not modify it either.
   */
  public Backend[] snapshot() {
    return backends;
  }

  public Optional<Backend> find(String name) {
    return Arrays.stream(backends).filter(backend -> backend.name().equals(name)).findFirst();
  }

  /** Adds a backend; false when one with that name exists. */
  synchronized boolean add(Backend backend) {
    if (find(backend.name()).isPresent()) {
      return false;
    }
    Backend[] grown = Arrays.copyOf(backends, backends.length + 1);
    grown[backends.length] = backend;
    backends = grown;
    return true;
  }

  synchronized boolean remove(Backend backend) {
    Backend[] kept = Arrays.stream(backends).filter(existing -> existing != backend).toArray(Backend[]::new);
    boolean removed = kept.length < backends.length;
    backends = kept;
    return removed;
  }

  /** Whether a backend takes traffic that is not in {@code exclude}. */
  public boolean hasCandidate(List<Backend> exclude) {
    return Arrays.stream(backends).anyMatch(backend -> backend.takesTraffic() && !exclude.contains(backend));
  }

  /** Whether a backend other than {@code backend} takes traffic (passive ejection never empties the pool). */
  boolean anotherTakesTraffic(Backend backend) {
    for (Backend other : backends) {
      if (other != backend && other.takesTraffic()) {
        return true;
      }
    }
    return false;
  }

  public boolean anyTakesTraffic() {
    return Arrays.stream(backends).anyMatch(Backend::takesTraffic);
  }
}
