package com.foobar.platform.lb;

import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpServerRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** What the balancer knows about one client request while it forwards it: attempts, chosen backend, timing. */
final class Forward {

  static final String REQUEST_ID = "X-Request-Id";

  final HttpServerRequest request;
  final long startNanos = System.nanoTime();
  final String requestId;
  /** The backends tried so far, in order: one or two in practice, so a list beats a set. */
  final List<Backend> tried = new ArrayList<>(2);
  /** The backend of the current (last) attempt. */
  Backend backend;
  /** True while this request holds a slot of {@link #backend}: released exactly once. */
  boolean holdsSlot;
  /** Nanos from the start to the backend's response headers, or -1. */
  long backendNanos = -1;
  /** Set when a streamed (chunked) body grew past maxBodySize. */
  boolean bodyTooLarge;
  /** Set when the balancer answered without reading the body: the connection cannot be reused. */
  boolean closeAfterEnd;

  /** How the request ended so far (set by failures, answers and refusals; {@link Termination}), or null. */
  Termination termination;
  /** A constant naming a balancer-local refusal more precisely (queue_full, ...), or null. */
  String detail;
  /** Set when the client's connection closed before its response was complete. */
  boolean clientClosed;
  /** The whole body of a keyed request, kept so that it can be sent again to another backend; or null. */
  io.vertx.core.buffer.Buffer replayBody;

  /** The current attempt's request, while {@link BackendTimeouts} watches it. */
  HttpClientRequest backendRequest;
  /** When the current attempt's backend last sent something (nanos). */
  long backendActivity;
  /** Links of {@link BackendTimeouts}' list: both null while not watched. */
  Forward previous;
  Forward next;

  Forward(HttpServerRequest request) {
    this.request = request;
    String given = request.getHeader(REQUEST_ID);
    // A client-supplied id is kept when it is sane, so a trace can start upstream; otherwise a fresh one.
    this.requestId = given != null && !given.isBlank() && given.length() <= 128 ? given : randomId();
  }

  private Forward() {
    this.request = null;
    this.requestId = null;
  }

  /** The list head of {@link BackendTimeouts}: a Forward of no request. */
  static Forward sentinel() {
    return new Forward();
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
