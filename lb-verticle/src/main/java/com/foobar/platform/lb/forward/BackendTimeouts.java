package com.foobar.platform.lb.forward;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientRequest;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code backendTimeoutMs} (HAProxy's {@code timeout server}) for one event loop: an attempt whose backend has
 * sent nothing for that long is reset with a {@link TimeoutException}, which the proxy answers with a 504 (or,
 * mid-body, by cutting the client's response).
 *
 * <p>Vert.x's per-request idle timeout arms and cancels a timer for every request, which showed in the
 * forwarding path's profile. Here an attempt only joins and leaves an intrusive list (no allocation: each
 * {@link Forward} is a {@link Node}) and records when its backend last sent something; one periodic sweep a
 * tenth of the timeout apart (10 ms to 1 s) resets what waited too long, so a timeout fires within 10% of its
 * value. Event-loop confined.
 */
final class BackendTimeouts {

  /** A watched attempt: its links in the list, its backend request and when that backend last sent something. */
  abstract static class Node {
    private Node previous;
    private Node next;
    private HttpClientRequest backendRequest;
    private long backendActivity;

    /** The backend sent something for this attempt. */
    final void backendActive() {
      backendActivity = System.nanoTime();
    }
  }

  private final long timeoutNanos;
  private final long timeoutMs;
  /** Sentinel of the circular list of watched attempts. */
  private final Node head = Forward.sentinel();

  BackendTimeouts(Vertx vertx, long timeoutMs) {
    this.timeoutMs = timeoutMs;
    this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    head.previous = head;
    head.next = head;
    vertx.setPeriodic(Math.min(1000, Math.max(10, timeoutMs / 10)), id -> sweep());
  }

  /** Starts watching the attempt of {@code node} on {@code request}. */
  void watch(Node node, HttpClientRequest request) {
    unwatch(node);
    node.backendRequest = request;
    node.backendActive();
    node.previous = head.previous;
    node.next = head;
    head.previous.next = node;
    head.previous = node;
  }

  /** The attempt is over (answered, failed or reset). */
  void unwatch(Node node) {
    if (node.next != null) {
      node.previous.next = node.next;
      node.next.previous = node.previous;
      node.next = null;
      node.previous = null;
    }
  }

  private void sweep() {
    long now = System.nanoTime();
    Node node = head.next;
    while (node != head) {
      Node next = node.next;
      if (now - node.backendActivity >= timeoutNanos) {
        HttpClientRequest request = node.backendRequest;
        unwatch(node);
        request.reset(0, new TimeoutException("the backend sent nothing for " + timeoutMs + " ms"));
      }
      node = next;
    }
  }
}
