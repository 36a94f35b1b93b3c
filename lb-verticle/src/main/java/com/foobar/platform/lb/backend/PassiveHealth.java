package com.foobar.platform.lb.backend;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Passive health: what forwarded exchanges say about a backend (HAProxy's {@code observe layer7} with
 * {@code error-limit}). Only server-caused endings count (the request path tells which: its {@code Termination});
 * a good answer ends a run of errors. Passive evidence never takes out the last backend taking traffic: with
 * every other backend out, a run of errors more likely means the clients or a shared dependency are at fault,
 * and ejecting it would turn that into a whole-site outage; the active checks still take it out if it really is
 * broken. The check and the ejection run under the pool's lock, so two event loops cannot each eject "the
 * other's" last backend at once.
 */
public final class PassiveHealth {

  private static final Logger LOG = LoggerFactory.getLogger(PassiveHealth.class);

  private final BackendPool pool;

  public PassiveHealth(BackendPool pool) {
    this.pool = pool;
  }

  /** A good answer: ends a run of errors. */
  public void succeeded(Backend backend) {
    backend.observeSuccess();
  }

  /** A server-caused failure of an exchange (a 5xx, reset, closed, timed out, broke its body off). */
  public void failed(Backend backend, String what) {
    int outcome;
    synchronized (pool) {
      outcome = backend.observeError(what, pool.anotherTakesTraffic(backend));
    }
    if (outcome == Backend.EJECTED) {
      LOG.warn("backend {} is DOWN: {}", backend.name(), backend.lastError());
    } else if (outcome == Backend.SPARED) {
      LOG.warn("backend {} has {} but is the last backend taking traffic: kept in service, its active checks decide",
        backend.name(), backend.lastError());
    }
  }

  /** The connection to the backend could not be made: counts like a failed check, with the same guard. */
  public void connectFailed(Backend backend, Throwable failure) {
    boolean down;
    synchronized (pool) {
      down = backend.recordFailure("connection failed: " + failure.getMessage(), pool.anotherTakesTraffic(backend));
    }
    if (down) {
      LOG.warn("backend {} is DOWN: connection failed: {}", backend.name(), failure.getMessage());
    }
  }
}
