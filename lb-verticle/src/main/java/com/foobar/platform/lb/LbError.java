package com.foobar.platform.lb;

import com.foobar.platform.common.ErrorCode;
import com.foobar.platform.common.HttpStatusException;

/**
 * Every error the balancer answers itself, in one list: the code of its JSON body ({@code {"error": code,
 * "message": ...}}), its status, its usual message and, for a request turned away before any backend saw it, the
 * {@code reason} label it is counted under in {@code foobar_lb_rejected_requests_total}. Failures become one of
 * these in {@code forward.ProxyErrors} (forwarding and the edge) and in the admin API.
 */
public enum LbError {
  // Forwarding: the backends could not take or answer the request.
  NO_BACKEND(503, "no_backend", "no application server is available", "no_backend"),
  BAD_GATEWAY(502, "bad_gateway", "the application server failed to answer", null),
  GATEWAY_TIMEOUT(504, "gateway_timeout", "the application server did not answer in time", null),
  QUEUE_FULL(503, "queue_full", "every application server is at its connection limit and the queue is full",
    "queue_full"),
  QUEUE_TIMEOUT(503, "queue_timeout", "no application server slot freed up in time", "queue_timeout"),
  // The edge: requests refused before any backend.
  PAYLOAD_TOO_LARGE(413, "payload_too_large", "request body is too large", "body_too_large"),
  FORBIDDEN(403, "forbidden", "your address may not use this site", "forbidden_address"),
  TOO_MANY_REQUESTS(429, "too_many_requests", "too many requests from your address", "rate_limited"),
  BAD_HOST(400, "bad_host", "the Host header is missing or not a host name", "bad_host"),
  HTTPS_REQUIRED(301, "https_required", "this site is served over HTTPS", "https_redirect"),
  REQUEST_TIMEOUT(408, "request_timeout", "no complete request head in time", "request_timeout"),
  URI_TOO_LONG(414, "uri_too_long", "the request line is longer than allowed", "uri_too_long"),
  HEADERS_TOO_LARGE(431, "headers_too_large", "the request headers are larger than allowed", "headers_too_large"),
  BAD_REQUEST(400, "bad_request", "the request is malformed", "bad_request"),
  HTTP_VERSION_NOT_SUPPORTED(505, "http_version_not_supported", "only HTTP/1.0 and HTTP/1.1 are served here (HTTP/2 "
    + "over TLS through ALPN)", "http_version"),
  // The admin API on the management port.
  VALIDATION_FAILED(400, "validation_failed", "the request is invalid", null),
  INVALID_JSON(400, "invalid_json", "request body is not a JSON object", null),
  NOT_FOUND(404, "not_found", "no such resource", null),
  CONFLICT(409, "conflict", "it exists already", null),
  DRAINING(503, "draining", "this balancer is handing over to a new process; retry to reach it", null),
  STATE_NOT_SAVED(500, "state_not_saved", "the change is applied but could not be saved", null),
  INVALID_CONFIGURATION(400, "invalid_configuration", "the configuration is invalid", null);

  private final ErrorCode error;
  private final String message;
  private final String rejectedReason;

  LbError(int status, String code, String message, String rejectedReason) {
    this.error = new ErrorCode(status, code);
    this.message = message;
    this.rejectedReason = rejectedReason;
  }

  public int status() { return error.status(); }
  public String code() { return error.code(); }
  /** The {@code reason} label of {@code foobar_lb_rejected_requests_total}, or null when this is no refusal. */
  public String rejectedReason() { return rejectedReason; }

  /** The {@code reason} label of a refusal made of one of these (by its code), or null. */
  public static String rejectedReason(HttpStatusException error) {
    for (LbError known : values()) {
      if (known.code().equals(error.code())) {
        return known.rejectedReason;
      }
    }
    return null;
  }

  /** How the option docs name this answer: its status and code, as {@code 503 `queue_full`}. */
  public String named() {
    return status() + " `" + code() + "`";
  }

  /** With its usual message. */
  public HttpStatusException error() {
    return error(message);
  }

  public HttpStatusException error(String message) {
    return error.answer(message);
  }

  /** With a {@code Retry-After} in seconds. */
  public HttpStatusException error(String message, int retryAfterSeconds) {
    return error.answer(message, null, retryAfterSeconds, null);
  }

  /** Naming the input at fault ({@code "field"} in the body). */
  public HttpStatusException error(String field, String message) {
    return error.answer(message, field, 0, null);
  }
}
