package com.foobar.platform.lb;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The backends of one balancer deployment and the choice among them: smooth weighted round robin (nginx's
 * algorithm: spreads a 3:1 weighting as a a b a rather than a a a b) or least connections relative to weight.
 * Backends with a free slot are preferred, so a full backend only queues when every candidate is full.
 * The list may change at runtime through the admin API; it is copy-on-write so the hot path never locks for it.
 */
final class BackendPool {

  private final List<Backend> backends = new CopyOnWriteArrayList<>();
  private final boolean leastConn;
  private final AtomicInteger tieBreak = new AtomicInteger();

  BackendPool(boolean leastConn) {
    this.leastConn = leastConn;
  }

  List<Backend> all() {
    return backends;
  }

  Optional<Backend> find(String name) {
    return backends.stream().filter(backend -> backend.name().equals(name)).findFirst();
  }

  /** Adds a backend; false when one with that name exists. */
  synchronized boolean add(Backend backend) {
    if (find(backend.name()).isPresent()) {
      return false;
    }
    backends.add(backend);
    return true;
  }

  synchronized boolean remove(Backend backend) {
    return backends.remove(backend);
  }

  /** The backend for the next request, among those taking traffic and not in {@code exclude}; null if none. */
  Backend next(Set<Backend> exclude) {
    List<Backend> candidates = new ArrayList<>(backends.size());
    boolean anyFree = false;
    for (Backend backend : backends) {
      if (backend.takesTraffic() && !exclude.contains(backend)) {
        candidates.add(backend);
        anyFree |= backend.slots().hasFree();
      }
    }
    if (anyFree) {
      candidates.removeIf(backend -> !backend.slots().hasFree());
    }
    if (candidates.isEmpty()) {
      return null;
    }
    return leastConn ? leastConnections(candidates) : smoothWeighted(candidates);
  }

  /** Each pick adds every candidate's weight to its score and takes the top score down by the total. */
  private synchronized Backend smoothWeighted(List<Backend> candidates) {
    long now = System.nanoTime();
    int total = 0;
    Backend best = null;
    for (Backend backend : candidates) {
      int weight = backend.effectiveWeight(now);
      backend.currentWeight += weight;
      total += weight;
      if (best == null || backend.currentWeight > best.currentWeight) {
        best = backend;
      }
    }
    best.currentWeight -= total;
    return best;
  }

  /** Fewest in-flight requests per unit of weight; ties rotate (floorMod survives the counter wrapping). */
  private Backend leastConnections(List<Backend> candidates) {
    long now = System.nanoTime();
    int start = Math.floorMod(tieBreak.getAndIncrement(), candidates.size());
    Backend best = null;
    long bestLoad = 0;
    long bestWeight = 1;
    for (int i = 0; i < candidates.size(); i++) {
      Backend backend = candidates.get((start + i) % candidates.size());
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
  boolean hasCandidate(Set<Backend> exclude) {
    return backends.stream().anyMatch(backend -> backend.takesTraffic() && !exclude.contains(backend));
  }

  boolean anyTakesTraffic() {
    return backends.stream().anyMatch(Backend::takesTraffic);
  }
}
