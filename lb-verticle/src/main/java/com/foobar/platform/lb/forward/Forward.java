package com.foobar.platform.lb.forward;

import com.foobar.platform.lb.backend.Backend;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What the balancer knows about one client request while it forwards it (HAProxy's stream): its id, the backends
 * tried, the current attempt and its slot, how it ended so far. Event-loop confined. It is its own node in
 * {@link BackendTimeouts}' list, so watching an attempt allocates nothing.
 */
final class Forward extends BackendTimeouts.Node {

  static final String REQUEST_ID = "X-Request-Id";

  private final HttpServerRequest request;
  private final long startNanos = System.nanoTime();
  private final String requestId;
  /** The backends tried so far, in order: one or two in practice, so a list beats a set. */
  private final List<Backend> tried = new ArrayList<>(2);
  /** The backend of the current (last) attempt. */
  private Backend backend;
  /** True while this request holds a slot of {@link #backend}: released exactly once. */
  private boolean holdsSlot;
  /** Nanos from the start to the backend's response headers, or -1. */
  private long backendNanos = -1;
  private boolean bodyTooLarge;
  private boolean closeAfterEnd;
  private Termination termination;
  private String detail;
  private boolean clientClosed;
  private Buffer replayBody;

  Forward(HttpServerRequest request) {
    this.request = request;
    String given = request.getHeader(REQUEST_ID);
    // A client-supplied id is kept when it is sane, so a trace can start upstream; otherwise a fresh one.
    this.requestId = given != null && !given.isBlank() && given.length() <= 128 ? given : randomId();
  }

  /** The list head of {@link BackendTimeouts}: a Forward of no request. */
  private Forward() {
    this.request = null;
    this.requestId = null;
  }

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

  HttpServerRequest request() {
    return request;
  }

  String requestId() {
    return requestId;
  }

  /** Nanos since the request arrived. */
  long elapsedNanos() {
    return System.nanoTime() - startNanos;
  }

  // ------------------------------------------------------------------ attempts

  /** The backends tried so far (the list the choice excludes). */
  List<Backend> tried() {
    return tried;
  }

  boolean firstAttempt() {
    return tried.isEmpty();
  }

  int retries() {
    return Math.max(0, tried.size() - 1);
  }

  /** A new attempt goes to {@code next}. */
  void attemptOn(Backend next) {
    tried.add(next);
    backend = next;
  }

  /** The backend of the current attempt, or null before the first. */
  Backend backend() {
    return backend;
  }

  void slotTaken() {
    holdsSlot = true;
  }

  /** The attempt on {@link #backend} is over: its slot goes back, once, and its counters say how it went. */
  void releaseSlot(Vertx vertx, boolean failed) {
    if (holdsSlot) {
      holdsSlot = false;
      backend.requestEnded(failed);
      backend.slots().release(vertx);
    }
  }

  /** The backend's response head arrived now. */
  void backendAnswered() {
    backendNanos = elapsedNanos();
  }

  long backendNanos() {
    return backendNanos;
  }

  // ------------------------------------------------------------------ the body

  /** Keeps the whole body of a keyed request, so it can be sent again to another backend. */
  void keepBody(Buffer body) {
    replayBody = body;
  }

  /** The kept body ({@link KeyedReplay}), or null. */
  Buffer replayBody() {
    return replayBody;
  }

  /** A streamed (chunked) body grew past maxBodySize. */
  void bodyGrewTooLarge() {
    bodyTooLarge = true;
  }

  boolean bodyTooLarge() {
    return bodyTooLarge;
  }

  // ------------------------------------------------------------------ the ending

  /** How the request ended so far (set by failures, answers and refusals), or null. */
  Termination termination() {
    return termination;
  }

  void terminated(Termination how) {
    termination = how;
  }

  /** The balancer refused the request itself, for {@code reason} (queue_full, ...). */
  void refused(String reason) {
    termination = Termination.LOCAL_REFUSED;
    detail = reason;
  }

  /** The refusal's reason, more precise than the termination's, or null. */
  String detail() {
    return detail;
  }

  /** The connection must close after this response (its unread body, or a drain hands the client over). */
  void closeAfterEnd() {
    closeAfterEnd = true;
  }

  boolean closesAfterEnd() {
    return closeAfterEnd;
  }

  /** The client's connection closed before its response was complete. */
  void clientClosed() {
    clientClosed = true;
  }

  boolean clientHasClosed() {
    return clientClosed;
  }

  /** The response is over, or the client went away: nothing more to send. */
  boolean clientGone() {
    return request.response().ended() || request.response().closed();
  }
}
