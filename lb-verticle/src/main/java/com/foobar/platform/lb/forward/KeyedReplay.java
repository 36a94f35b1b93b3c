package com.foobar.platform.lb.forward;

import io.vertx.core.Future;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/**
 * Requests that carry an {@code Idempotency-Key} may be sent again to another backend after a failure before the
 * response head arrived, body and all: the application server stores each key with the outcome of its first run
 * and answers a repeat with it, so the write happens at most once wherever the retry lands. For that the body must
 * still be at hand, so it is read whole before the first attempt, only when it is small (a declared
 * {@code Content-Length} up to {@value #MAX_BODY_BYTES} bytes, more than the application's own body limit);
 * a larger or chunked keyed body streams through as any other and is not replayed. Requests without a key are
 * never read ahead: that costs nothing on the usual path.
 */
final class KeyedReplay {

  static final String HEADER = "Idempotency-Key";
  static final int MAX_BODY_BYTES = 64 * 1024;

  private KeyedReplay() {
  }

  /** A keyed request with a small declared body. */
  static boolean applies(HttpServerRequest request, long declaredLength) {
    return declaredLength > 0 && declaredLength <= MAX_BODY_BYTES && request.getHeader(HEADER) != null;
  }

  /** Reads the whole body and keeps it in {@code forward}; fails when the client broke the body off. */
  static Future<Void> read(Forward forward) {
    HttpServerRequest request = forward.request();
    Future<Void> read = request.body().map(body -> {
      forward.keepBody(body);
      return null;
    });
    request.resume();
    return read;
  }

  /** Sends the kept body (again). */
  static Future<HttpClientResponse> send(Forward forward, HttpClientRequest backendRequest) {
    backendRequest.putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(forward.replayBody().length()));
    return backendRequest.send(forward.replayBody());
  }
}
