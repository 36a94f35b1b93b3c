package com.foobar.platform.common;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.function.Function;

/**
 * Renders failures as JSON error responses. A tier passes its own classifier (for example the app's
 * database failures); whatever it does not recognise falls back to the generic mapping here.
 */
public final class ErrorResponses {

  private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);

  private ErrorResponses() {
  }

  /** A Vert.x Web failure handler that answers every failure with a JSON body. */
  public static Handler<RoutingContext> failureHandler(Function<Throwable, Optional<HttpStatusException>> classifier) {
    return ctx -> {
      HttpStatusException error = classify(ctx.failure(), ctx.statusCode(), classifier);
      if (error.status() >= 500 && error.status() != 503) {
        LOG.warn("{} {} failed: {}", ctx.request().method(), ctx.request().path(), error.getMessage(), ctx.failure());
      }
      send(ctx.response(), error);
    };
  }

  /** Writes the error unless a response is already under way, in which case the connection is reset. */
  public static void send(HttpServerResponse response, HttpStatusException error) {
    if (response.headWritten()) {
      response.reset();
      return;
    }
    response.setStatusCode(error.status()).putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
    if (error.retryAfterSeconds() > 0) {
      response.putHeader(HttpHeaders.RETRY_AFTER, Integer.toString(error.retryAfterSeconds()));
    }
    response.end(error.toJson().encode());
  }

  static HttpStatusException classify(Throwable failure, int status,
                                      Function<Throwable, Optional<HttpStatusException>> classifier) {
    if (failure instanceof HttpStatusException) {
      return (HttpStatusException) failure;
    }
    if (failure != null) {
      Optional<HttpStatusException> known = classifier.apply(failure);
      if (known.isPresent()) {
        return known.get();
      }
      if (failure instanceof DecodeException) {
        return new HttpStatusException(400, "invalid_json", "request body is not valid JSON");
      }
    }
    return byStatus(status == -1 ? 500 : status);
  }

  private static HttpStatusException byStatus(int status) {
    switch (status) {
      case 400: return new HttpStatusException(400, "bad_request", "the request is malformed");
      case 404: return HttpStatusException.notFound("no such resource");
      case 405: return new HttpStatusException(405, "method_not_allowed", "method not allowed on this resource");
      case 413: return new HttpStatusException(413, "payload_too_large", "request body is too large");
      case 415: return new HttpStatusException(415, "unsupported_media_type", "send application/json");
      default:
        return status >= 400 && status < 500
          ? new HttpStatusException(status, "client_error", "the request cannot be served")
          : new HttpStatusException(500, "internal_error", "internal error");
    }
  }
}
