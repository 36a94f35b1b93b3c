package com.foobar.platform.lb.balance;

import com.foobar.platform.lb.backend.Backend;

import java.util.List;

/**
 * Smooth weighted round robin (nginx's algorithm): spreads a 3:1 weighting as a a b a rather than a a a b. Each
 * pick adds every candidate's effective weight (slow start included) to its score and takes the top score down by
 * the total. The scores live here, one per position of the pool's array; when the pool changes (a new array)
 * they follow their backends, and a new backend starts at zero.
 */
final class SmoothWeightedRoundRobin implements Balance {

  private Backend[] seen = new Backend[0];
  private int[] scores = new int[0];

  @Override
  public synchronized Backend pick(Backend[] backends, List<Backend> exclude, boolean freeOnly) {
    if (backends != seen) {
      follow(backends);
    }
    long now = System.nanoTime();
    int total = 0;
    int best = -1;
    for (int i = 0; i < backends.length; i++) {
      Backend backend = backends[i];
      if (!Balance.isCandidate(backend, exclude, freeOnly)) {
        continue;
      }
      int weight = backend.effectiveWeight(now);
      scores[i] += weight;
      total += weight;
      if (best < 0 || scores[i] > scores[best]) {
        best = i;
      }
    }
    if (best < 0) {
      return null;
    }
    scores[best] -= total;
    return backends[best];
  }

  /** The pool changed: each backend keeps its score at its new position. */
  private void follow(Backend[] backends) {
    int[] moved = new int[backends.length];
    for (int i = 0; i < backends.length; i++) {
      for (int j = 0; j < seen.length; j++) {
        if (seen[j] == backends[i]) {
          moved[i] = scores[j];
          break;
        }
      }
    }
    seen = backends;
    scores = moved;
  }
}
