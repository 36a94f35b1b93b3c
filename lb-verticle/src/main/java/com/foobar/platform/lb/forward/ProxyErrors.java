package com.foobar.platform.lb;

import com.foobar.platform.common.HttpStatusException;
import io.vertx.core.http.StreamResetException;

import java.net.ConnectException;
import java.util.concurrent.TimeoutException;

/** The one place where forwarding failures become statuses (all with a JSON body). */
final class ProxyErrors {

  private ProxyErrors() {
  }

  static HttpStatusException noBackend(LoadBalancerOptions options) {
    return HttpStatusException.unavailable("no_backend", "no application server is available",
      options.getRetryAfterSeconds(), null);
  }

  static HttpStatusException noOtherBackend() {
    return new HttpStatusException(502, "bad_gateway", "no application server could take the request");
  }

  static HttpStatusException queue(BackendSlots.Rejected rejected, LoadBalancerOptions options) {
    return rejected.queueFull
      ? HttpStatusException.unavailable("queue_full", "every application server is at its connection limit "
        + "and the queue is full", options.getRetryAfterSeconds(), null)
      : HttpStatusException.unavailable("queue_timeout", "no application server slot freed up within "
        + options.getQueueTimeout() + " ms", options.getRetryAfterSeconds(), null);
  }

  static HttpStatusException classify(Throwable failure) {
    failure = unwrap(failure);
    if (failure instanceof TimeoutException) {
      return new HttpStatusException(504, "gateway_timeout", "the application server did not answer in time");
    }
    if (failure instanceof ConnectException) {
      return new HttpStatusException(502, "bad_gateway", "the application server could not be reached");
    }
    if (failure instanceof StreamResetException) {
      return new HttpStatusException(502, "bad_gateway", "the application server reset the request");
    }
    return new HttpStatusException(502, "bad_gateway", "the application server failed to answer");
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
    if (failure instanceof StreamResetException && failure.getCause() instanceof TimeoutException) {
      return failure.getCause(); // BackendTimeouts resets an attempt that waited too long
    }
    return failure;
  }
}
