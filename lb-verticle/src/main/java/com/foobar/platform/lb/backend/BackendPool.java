package com.foobar.platform.lb;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The backends of one balancer deployment and the choice among them: smooth weighted round robin (nginx's
 * algorithm: spreads a 3:1 weighting as a a b a rather than a a a b) or least connections relative to weight.
 * Backends with a free slot are preferred, so a full backend only queues when every candidate is full.
 * The list may change at runtime through the admin API; it is an array replaced whole on every change, so the
 * hot path never locks for it nor allocates.
 */
final class BackendPool {

  /** Replaced whole (under the lock) on every change; read without it. */
  private volatile Backend[] backends = new Backend[0];
  private final boolean leastConn;
  private final AtomicInteger tieBreak = new AtomicInteger();

  BackendPool(boolean leastConn) {
    this.leastConn = leastConn;
  }

  /** The backends now (an unmodifiable snapshot). */
  List<Backend> all() {
    return List.of(backends);
  }

  Optional<Backend> find(String name) {
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

  /**
   * The backend for the next request, among those taking traffic and not in {@code exclude}; null if none.
   * Runs for every request, so it walks the list instead of building a candidate list.
   */
  Backend next(List<Backend> exclude) {
    Backend[] all = backends;
    boolean anyFree = false;
    boolean any = false;
    for (Backend backend : all) {
      if (isCandidate(backend, exclude, false)) {
        any = true;
        if (backend.slots().hasFree()) {
          anyFree = true;
          break;
        }
      }
    }
    if (!any) {
      return null;
    }
    Backend chosen = pick(all, exclude, anyFree);
    // Another event loop may have taken the last free slot meanwhile: then every candidate competes.
    return chosen == null && anyFree ? pick(all, exclude, false) : chosen;
  }

  private Backend pick(Backend[] all, List<Backend> exclude, boolean freeOnly) {
    return leastConn ? leastConnections(all, exclude, freeOnly) : smoothWeighted(all, exclude, freeOnly);
  }

  /** Takes traffic, not excluded, and (when {@code freeOnly}) has a free slot. */
  private static boolean isCandidate(Backend backend, List<Backend> exclude, boolean freeOnly) {
    return backend.takesTraffic() && !exclude.contains(backend) && (!freeOnly || backend.slots().hasFree());
  }

  /**
   * Each pick adds every candidate's weight to its score and takes the top score down by the total. Without a
   * free candidate every candidate competes and the pick queues.
   */
  private synchronized Backend smoothWeighted(Backend[] all, List<Backend> exclude, boolean freeOnly) {
    long now = System.nanoTime();
    int total = 0;
    Backend best = null;
    for (Backend backend : all) {
      if (!isCandidate(backend, exclude, freeOnly)) {
        continue;
      }
      int weight = backend.effectiveWeight(now);
      backend.currentWeight += weight;
      total += weight;
      if (best == null || backend.currentWeight > best.currentWeight) {
        best = backend;
      }
    }
    if (best != null) {
      best.currentWeight -= total;
    }
    return best;
  }

  /** Fewest in-flight requests per unit of weight; ties rotate (floorMod survives the counter wrapping). */
  private Backend leastConnections(Backend[] all, List<Backend> exclude, boolean freeOnly) {
    long now = System.nanoTime();
    int size = all.length;
    int start = Math.floorMod(tieBreak.getAndIncrement(), size);
    Backend best = null;
    long bestLoad = 0;
    long bestWeight = 1;
    for (int i = 0; i < size; i++) {
      Backend backend = all[(start + i) % size];
      if (!isCandidate(backend, exclude, freeOnly)) {
        continue;
      }
      long load = backend.active() + backend.slots().queued();
      long weight = backend.effectiveWeight(now);
      if (best == null || load * bestWeight < bestLoad * weight) {
        best = backend;
        bestLoad = load;
        bestWeight = weight;
      }
    }
    return best;
  }

  /** Whether {@link #next} would find a backend, without moving the rotation. */
  boolean hasCandidate(List<Backend> exclude) {
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

  boolean anyTakesTraffic() {
    return Arrays.stream(backends).anyMatch(Backend::takesTraffic);
  }
}
