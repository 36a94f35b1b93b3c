package com.foobar.platform.lb.forward;

import com.foobar.platform.common.HttpStatusException;
import com.foobar.platform.lb.LbError;
import com.foobar.platform.lb.backend.BackendSlots;
import com.foobar.platform.lb.edge.Refusal;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.http.StreamResetException;

import java.net.ConnectException;
import java.util.concurrent.TimeoutException;

/**
 * The one place where the balancer's failures and refusals become statuses (each an {@link LbError}, all with a
 * JSON body): backends that could not take or answer a request, the edge's refusals, requests the decoder refused
 * and heads that never completed. Who caused a failed attempt is decided here too ({@link #termination}).
 */
final class ProxyErrors {

  private ProxyErrors() {
  }

  static HttpStatusException noBackend(int retryAfterSeconds) {
    return LbError.NO_BACKEND.error("no application server is available", retryAfterSeconds);
  }

  static HttpStatusException noOtherBackend() {
    return LbError.BAD_GATEWAY.error("no application server could take the request");
  }

  static HttpStatusException queue(BackendSlots.Rejected rejected, long queueTimeoutMs, int retryAfterSeconds) {
    return rejected.queueFull() ? LbError.QUEUE_FULL.error("every application server is at its connection limit "
        + "and the queue is full", retryAfterSeconds)
      : LbError.QUEUE_TIMEOUT.error("no application server slot freed up within " + queueTimeoutMs + " ms",
        retryAfterSeconds);
  }

  static HttpStatusException tooLarge(long maxBodySize) {
    return LbError.PAYLOAD_TOO_LARGE.error("request body is larger than " + maxBodySize + " bytes");
  }

  /** A failed exchange with a backend. */
  static HttpStatusException classify(Throwable failure) {
    failure = unwrap(failure);
    if (failure instanceof TimeoutException) {
      return LbError.GATEWAY_TIMEOUT.error();
    }
    if (failure instanceof ConnectException) {
      return LbError.BAD_GATEWAY.error("the application server could not be reached");
    }
    if (failure instanceof StreamResetException) {
      return LbError.BAD_GATEWAY.error("the application server reset the request");
    }
    return LbError.BAD_GATEWAY.error();
  }

  /** Who caused a failed attempt, for the access log, the metric and passive ejection ({@link Termination}). */
  static Termination termination(Throwable failure) {
    failure = unwrap(failure);
    if (failure instanceof TimeoutException) {
      return Termination.SERVER_TIMEOUT;
    }
    if (failure instanceof ConnectException) {
      return Termination.SERVER_REFUSED;
    }
    return Termination.SERVER_CLOSED;
  }

  private static Throwable unwrap(Throwable failure) {
    if (failure instanceof Exchange.Retryable) {
      failure = failure.getCause(); // it could not be retried after all
    }
    if (failure instanceof StreamResetException && failure.getCause() instanceof TimeoutException) {
      return failure.getCause(); // BackendTimeouts resets an attempt that waited too long
    }
    return failure;
  }

  /** The edge turned the request away. */
  static HttpStatusException refusal(Refusal refusal) {
    if (refusal instanceof Refusal.RateLimited limited) {
      return LbError.TOO_MANY_REQUESTS.error("more than " + limited.limit() + " from your address; retry in "
        + limited.retryAfterSeconds() + " s", limited.retryAfterSeconds());
    }
    if (refusal instanceof Refusal.HttpsRequired https) {
      return LbError.HTTPS_REQUIRED.error("this site is served over HTTPS: " + https.location());
    }
    if (refusal instanceof Refusal.BadHost bad) {
      return LbError.BAD_HOST.error(bad.host() == null ? "a Host header is needed to redirect to HTTPS"
        : "the Host header is not a host name");
    }
    return LbError.FORBIDDEN.error();
  }

  /** A request Vert.x's decoder refused: 414 for the request line, 431 for the headers, else 400. */
  static HttpStatusException invalidRequest(Throwable decoderFailure) {
    if (decoderFailure instanceof TooLongHttpLineException) {
      return LbError.URI_TOO_LONG.error();
    }
    if (decoderFailure instanceof TooLongHttpHeaderException || decoderFailure instanceof TooLongFrameException) {
      return LbError.HEADERS_TOO_LARGE.error();
    }
    return LbError.BAD_REQUEST.error();
  }

  static HttpStatusException requestTimeout(long headerTimeoutMs) {
    return LbError.REQUEST_TIMEOUT.error("no complete request head within " + headerTimeoutMs + " ms");
  }
}
