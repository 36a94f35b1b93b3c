package com.foobar.platform.lb.backend;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The request slots of one backend (HAProxy's server {@code maxconn} and {@code maxqueue}): at most {@code max}
 * requests in flight; more wait in a bounded FIFO queue for at most the queue timeout. Shared by every event
 * loop, so a freed slot is handed to the waiter on the waiter's own context.
 */
public final class BackendSlots {

  /** Why a request got no slot; the proxy turns it into a 503. */
  public static final class Rejected extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final boolean queueFull;

    Rejected(boolean queueFull) {
      super(queueFull ? "queue full" : "queue timeout", null, false, false);
      this.queueFull = queueFull;
    }

    /** True when the queue was full; false when the request waited past the queue timeout. */
    public boolean queueFull() {
      return queueFull;
    }
  }

  private final int max;
  private final int maxQueue;
  private final Deque<Waiter> queue = new ArrayDeque<>();
  private int inUse;
  /** Whether a request could start now: written under the lock, read without it by the per-request choice. */
  private volatile boolean free = true;

  BackendSlots(int max, int maxQueue) {
    this.max = max;
    this.maxQueue = maxQueue;
  }

  /** A slot now, without queueing, or false. */
  public synchronized boolean tryAcquire() {
    if (inUse < max && queue.isEmpty()) {
      inUse++;
      updateFree();
      return true;
    }
    return false;
  }

  /** Called under the lock after every change of {@code inUse} or the queue. */
  private void updateFree() {
    free = inUse < max && queue.isEmpty();
  }

  /** A slot now or after waiting at most {@code timeoutMs}; fails with {@link Rejected}. */
  public Future<Void> acquire(Vertx vertx, long timeoutMs) {
    if (tryAcquire()) {
      return Future.succeededFuture();
    }
    Waiter waiter = new Waiter(vertx.getOrCreateContext(), Promise.promise());
    synchronized (this) {
      if (queue.size() >= maxQueue) {
        return Future.failedFuture(new Rejected(true));
      }
      // Armed before the waiter is visible, so release() always cancels the right timer.
      waiter.timer = vertx.setTimer(timeoutMs, id -> {
        if (remove(waiter)) {
          waiter.promise.tryFail(new Rejected(false));
        }
      });
      queue.add(waiter);
      updateFree();
    }
    return waiter.promise.future();
  }

  private synchronized boolean remove(Waiter waiter) {
    boolean removed = queue.remove(waiter);
    updateFree();
    return removed;
  }

  /** Frees a slot: the oldest waiter inherits it, else it returns to the pool. */
  public void release(Vertx vertx) {
    Waiter next;
    synchronized (this) {
      next = queue.poll();
      if (next == null) {
        inUse--;
      }
      updateFree();
    }
    if (next == null) {
      return;
    }
    vertx.cancelTimer(next.timer);
    next.context.runOnContext(v -> next.promise.tryComplete());
  }

  /** Whether a request could start now without queueing (a hint: {@link #tryAcquire} decides). */
  public boolean hasFree() {
    return free;
  }

  synchronized int inUse() {
    return inUse;
  }

  public synchronized int queued() {
    return queue.size();
  }

  private static final class Waiter {
    final Context context;
    final Promise<Void> promise;
    volatile long timer;

    Waiter(Context context, Promise<Void> promise) {
      this.context = context;
      this.promise = promise;
    }
  }
}
