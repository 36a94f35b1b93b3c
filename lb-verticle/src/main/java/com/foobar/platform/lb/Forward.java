package com.foobar.platform.lb;

import io.vertx.core.http.HttpServerRequest;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** What the balancer knows about one client request while it forwards it: attempts, chosen backend, timing. */
final class Forward {

  static final String REQUEST_ID = "X-Request-Id";

  final HttpServerRequest request;
  final long startNanos = System.nanoTime();
  final String requestId;
  final Set<Backend> tried = new HashSet<>(4);
  /** The backend of the current (last) attempt. */
  Backend backend;
  /** Nanos from the start to the backend's response headers, or -1. */
  long backendNanos = -1;
  /** Set when a streamed (chunked) body grew past maxBodySize. */
  boolean bodyTooLarge;
  /** Set when the balancer answered without reading the body: the connection cannot be reused. */
  boolean closeAfterEnd;

  Forward(HttpServerRequest request) {
    this.request = request;
    String given = request.getHeader(REQUEST_ID);
    // A client-supplied id is kept when it is sane, so a trace can start upstream; otherwise a fresh one.
    this.requestId = given != null && !given.isBlank() && given.length() <= 128 ? given : randomId();
  }

  /** A version 4 UUID from ThreadLocalRandom: an id needs uniqueness, not SecureRandom's cost on the event loop. */
  private static String randomId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long high = (random.nextLong() & ~0xF000L) | 0x4000L;
    long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(high, low).toString();
  }

  int retries() {
    return Math.max(0, tried.size() - 1);
  }

  boolean clientGone() {
    return request.response().ended() || request.response().closed();
  }
}
