package com.foobar.platform.lb;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientRequest;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code backendTimeout} (HAProxy's {@code timeout server}) for one event loop: an attempt whose backend has
 * sent nothing for that long is reset with a {@link TimeoutException}, which the proxy answers with a 504 (or,
 * mid-body, by cutting the client's response).
 *
 * <p>Vert.x's per-request idle timeout arms and cancels a timer for every request, which showed in the
 * forwarding path's profile. Here an attempt only joins and leaves an intrusive list (no allocation) and
 * records when its backend last sent something; one periodic sweep a tenth of the timeout apart (10 ms to
 * 1 s) resets what waited too long, so a timeout fires within 10% of its value. Event-loop confined.
 */
final class BackendTimeouts {

  private final long timeoutNanos;
  private final long timeoutMs;
  /** Sentinel of the circular list of watched attempts. */
  private final Forward head = Forward.sentinel();

  BackendTimeouts(Vertx vertx, long timeoutMs) {
    this.timeoutMs = timeoutMs;
    this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    head.previous = head;
    head.next = head;
    vertx.setPeriodic(Math.min(1000, Math.max(10, timeoutMs / 10)), id -> sweep());
  }

  /** Starts watching {@code forward}'s attempt on {@code request}. */
  void watch(Forward forward, HttpClientRequest request) {
    unwatch(forward);
    forward.backendRequest = request;
    forward.backendActivity = System.nanoTime();
    forward.previous = head.previous;
    forward.next = head;
    head.previous.next = forward;
    head.previous = forward;
  }

  /** The backend sent something for {@code forward}. */
  static void activity(Forward forward) {
    forward.backendActivity = System.nanoTime();
  }

  /** The attempt is over (answered, failed or reset). */
  void unwatch(Forward forward) {
    if (forward.next != null) {
      forward.previous.next = forward.next;
      forward.next.previous = forward.previous;
      forward.next = null;
      forward.previous = null;
    }
  }

  private void sweep() {
    long now = System.nanoTime();
    Forward forward = head.next;
    while (forward != head) {
      Forward next = forward.next;
      if (now - forward.backendActivity >= timeoutNanos) {
        HttpClientRequest request = forward.backendRequest;
        unwatch(forward);
        request.reset(0, new TimeoutException("the backend sent nothing for " + timeoutMs + " ms"));
      }
      forward = next;
    }
  }
}
