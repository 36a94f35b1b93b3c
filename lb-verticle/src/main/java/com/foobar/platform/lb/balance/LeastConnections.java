package com.foobar.platform.lb.balance;

import com.foobar.platform.lb.backend.Backend;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Least connections relative to weight (HAProxy's {@code leastconn}): the candidate with the fewest in-flight and
 * queued requests per unit of effective weight. Ties rotate, so equal backends share the load; the counter may
 * wrap, {@code floorMod} keeps the start in range.
 */
final class LeastConnections implements Balance {

  private final AtomicInteger tieBreak = new AtomicInteger();

  @Override
  public Backend pick(Backend[] backends, List<Backend> exclude, boolean freeOnly) {
    long now = System.nanoTime();
    int size = backends.length;
    if (size == 0) {
      return null;
    }
    int start = Math.floorMod(tieBreak.getAndIncrement(), size);
    Backend best = null;
    long bestLoad = 0;
    long bestWeight = 1;
    for (int i = 0; i < size; i++) {
      Backend backend = backends[(start + i) % size];
      if (!Balance.isCandidate(backend, exclude, freeOnly)) {
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
}
