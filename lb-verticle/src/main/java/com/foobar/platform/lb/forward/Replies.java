package com.foobar.platform.lb.forward;

import com.foobar.platform.common.ErrorResponses;
import com.foobar.platform.common.HttpStatusException;
import com.foobar.platform.lb.LbError;
import com.foobar.platform.lb.edge.HttpVersionCheck;
import com.foobar.platform.lb.edge.RawAnswer;
import com.foobar.platform.lb.edge.Refusal;
import com.foobar.platform.lb.edge.VertxInternals;
import com.foobar.platform.lb.metrics.LbMetrics;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/**
 * The balancer's own answers to a client (JSON errors from {@link ErrorResponses}, statuses from
 * {@link ProxyErrors}), counted by reason: failed forwarding, the edge's refusals, requests the decoder refused
 * and heads that never completed.
 */
public final class Replies {

  /** How long the rest of a refused body is read and dropped before the connection closes. */
  static final long LINGER_MS = 2000;

  private final LbMetrics metrics;

  public Replies(LbMetrics metrics) {
    this.metrics = metrics;
  }

  /** Answers a failed forwarding with {@code error}. */
  void fail(Forward forward, HttpStatusException error) {
    forward.request().resume();
    ErrorResponses.send(forward.request().response(), error);
  }

  /** Answers {@code error} (an {@link LbError}), counted as refused before any backend under its reason. */
  void refuse(Forward forward, HttpStatusException error) {
    refused(forward, LbError.rejectedReason(error));
    fail(forward, error);
  }

  /** For a body we will not read: answer, then close so the unread bytes are not parsed as a next request. */
  void refuseAndClose(Forward forward, HttpStatusException error) {
    forward.request().response().putHeader(HttpHeaders.CONNECTION, "close");
    forward.closeAfterEnd();
    refused(forward, LbError.rejectedReason(error));
    ErrorResponses.send(forward.request().response(), error);
  }

  private void refused(Forward forward, String reason) {
    metrics.rejected(reason);
    forward.refused(reason);
  }

  /** The edge turned the request away; the connection closes when a body was announced (it stays unread). */
  void refuse(Forward forward, Refusal refusal) {
    HttpStatusException error = ProxyErrors.refusal(refusal);
    if (refusal instanceof Refusal.HttpsRequired https) {
      redirect(forward, https.location(), error);
    } else if (ContentLength.announcesBody(forward.request().headers())) {
      refuseAndClose(forward, error);
    } else {
      refuse(forward, error);
    }
  }

  /** A 301 to HTTPS: counted as a redirect, not as a refused request. */
  private void redirect(Forward forward, String location, HttpStatusException error) {
    HttpServerRequest request = forward.request();
    metrics.rejected(LbError.rejectedReason(error));
    if (ContentLength.announcesBody(request.headers())) {
      request.response().putHeader(HttpHeaders.CONNECTION, "close");
      forward.closeAfterEnd();
    }
    request.response().putHeader(HttpHeaders.LOCATION, location);
    ErrorResponses.send(request.response(), error);
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

  /**
   * A connection sent no complete request head in time: a 408 and a close. Vert.x has no API to answer a request
   * that never completed, so the 408 is written on the Netty channel ({@link VertxInternals}); HTTP/2 gets a
   * GOAWAY, which says enough.
   */
  public void requestTimeout(HttpConnection connection, long headerTimeoutMs) {
    if (!VertxInternals.isHttp1Server(connection)) {
      connection.close();
      return;
    }
    VertxInternals.writeAndClose(connection, RawAnswer.of(ProxyErrors.requestTimeout(headerTimeoutMs)));
  }

  /** A request line in an HTTP version the balancer does not speak was answered 505 ({@link HttpVersionCheck}). */
  public void versionRefused() {
    metrics.refusedUnread(LbError.HTTP_VERSION_NOT_SUPPORTED.rejectedReason());
  }

  /** Requests Vert.x's decoder refused (oversized line or headers, malformed): a JSON 4xx and a close. */
  public Handler<HttpServerRequest> invalidRequestHandler() {
    return request -> {
      HttpStatusException error = ProxyErrors.invalidRequest(request.decoderResult().cause());
      metrics.refusedUnread(error.code());
      request.response().setStatusCode(error.status()).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.CONNECTION, "close")
        .end(error.toJson().encode())
        .onComplete(done -> request.connection().close());
    };
  }
}
