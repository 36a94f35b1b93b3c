package com.foobar.platform.lb;

import com.foobar.platform.common.ErrorResponses;
import com.foobar.platform.common.HttpStatusException;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/** The balancer's own answers to a client (JSON errors from {@link ErrorResponses}), counted by reason. */
final class Replies {

  /** How long the rest of a refused body is read and dropped before the connection closes. */
  static final long LINGER_MS = 2000;

  private final LbMetrics metrics;

  Replies(LbMetrics metrics) {
    this.metrics = metrics;
  }

  /** Answers {@code error}; {@code rejectedReason} (or null) counts it as refused before any backend. */
  void fail(Forward forward, HttpStatusException error, String rejectedReason) {
    if (rejectedReason != null) {
      refused(forward, rejectedReason);
    }
    forward.request.resume();
    ErrorResponses.send(forward.request.response(), error);
  }

  /** For a body we will not read: answer, then close so the unread bytes are not parsed as a next request. */
  void failAndClose(Forward forward, HttpStatusException error, String rejectedReason) {
    forward.request.response().putHeader(HttpHeaders.CONNECTION, "close");
    forward.closeAfterEnd = true;
    refused(forward, rejectedReason);
    ErrorResponses.send(forward.request.response(), error);
  }

  private void refused(Forward forward, String reason) {
    metrics.rejected(reason);
    forward.termination = Termination.LOCAL_REFUSED;
    forward.detail = reason;
  }

  /** Refuses the request, closing the connection when a body was announced (it stays unread). */
  void refuse(Forward forward, HttpStatusException error, String rejectedReason) {
    if (hasBody(forward.request)) {
      failAndClose(forward, error, rejectedReason);
    } else {
      fail(forward, error, rejectedReason);
    }
  }

  /**
   * Closes the connection of a request whose body was refused, after reading and dropping what is left of that
   * body for at most {@value #LINGER_MS} ms (nginx's lingering close). Closing with unread bytes in the socket
   * makes the kernel send a reset, which can destroy the answer (a 413, say) before the client has read it:
   * a client still uploading would see "connection reset" instead of the reason.
   */
  static void lingeringClose(Vertx vertx, HttpServerRequest request) {
    HttpConnection connection = request.connection();
    if (request.isEnded()) {
      connection.close();
      return;
    }
    long timer = vertx.setTimer(LINGER_MS, id -> connection.close());
    request.handler(null).endHandler(v -> {
      vertx.cancelTimer(timer);
      connection.close();
    });
    request.resume();
  }

  static long declaredLength(HttpServerRequest request) {
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    try {
      return length == null ? 0 : Long.parseLong(length.trim());
    } catch (NumberFormatException e) {
      return 0; // Vert.x's decoder rejects a malformed Content-Length before we get here
    }
  }

  static boolean hasBody(HttpServerRequest request) {
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    return (length != null && !length.trim().equals("0")) || request.headers().contains(HttpHeaders.TRANSFER_ENCODING);
  }
}
