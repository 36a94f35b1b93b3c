package com.foobar.platform.lb.balance;

import com.foobar.platform.lb.backend.Backend;
import com.foobar.platform.lb.backend.BackendPool;

import java.util.List;

/**
 * Chooses the backend of each request (HAProxy's {@code assign_server}): among those taking traffic and not tried
 * yet, backends with a free slot are preferred, so a full backend only queues when every candidate is full; the
 * algorithm ({@link Balance}) decides among them. Runs for every request: it walks the pool's array.
 */
public final class BackendChoice {

  private final BackendPool pool;
  private final Balance balance;

  public BackendChoice(BackendPool pool, Balance balance) {
    this.pool = pool;
    this.balance = balance;
  }

  /** The backend for the next attempt, not one of {@code exclude}; null if none takes traffic. */
  public Backend next(List<Backend> exclude) {
    Backend[] all = pool.snapshot();
    boolean any = false;
    boolean anyFree = false;
    for (Backend backend : all) {
      if (Balance.isCandidate(backend, exclude, false)) {
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
    Backend chosen = balance.pick(all, exclude, anyFree);
    // Another event loop may have taken the last free slot meanwhile: then every candidate competes.
    return chosen == null && anyFree ? balance.pick(all, exclude, false) : chosen;
  }

  /** Whether {@link #next} would find a backend, without moving the rotation. */
  public boolean hasCandidate(List<Backend> exclude) {
    return pool.hasCandidate(exclude);
  }
}
