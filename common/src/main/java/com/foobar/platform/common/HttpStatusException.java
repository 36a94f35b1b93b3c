package com.foobar.platform.common;

import io.vertx.core.json.JsonObject;

/**
 * A failure that knows the HTTP status it deserves. Every tier turns its failures into one of these in one
 * place, and {@link ErrorResponses} renders it as a JSON body:
 * {@code {"error": "<code>", "message": "<what is wrong>", "field": "<input at fault>"}}.
 */
public class HttpStatusException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;
  private final String field;
  private final int retryAfterSeconds;

  public HttpStatusException(int status, String code, String message) {
    this(status, code, message, null, 0, null);
  }

  public HttpStatusException(int status, String code, String message, String field, int retryAfterSeconds,
                             Throwable cause) {
    super(message, cause, false, false);
    this.status = status;
    this.code = code;
    this.field = field;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public static HttpStatusException badRequest(String field, String message) {
    return new HttpStatusException(400, "validation_failed", message, field, 0, null);
  }

  public static HttpStatusException notFound(String message) {
    return new HttpStatusException(404, "not_found", message);
  }

  public static HttpStatusException payloadTooLarge(long limit) {
    return new HttpStatusException(413, "payload_too_large", "request body is larger than " + limit + " bytes");
  }

  /** 503 with Retry-After: a dependency is down and the client should come back. */
  public static HttpStatusException unavailable(String code, String message, int retryAfterSeconds, Throwable cause) {
    return new HttpStatusException(503, code, message, null, retryAfterSeconds, cause);
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public String field() {
    return field;
  }

  /** Seconds for a Retry-After header, or 0 for none. */
  public int retryAfterSeconds() {
    return retryAfterSeconds;
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("error", code).put("message", getMessage());
    if (field != null) {
      json.put("field", field);
    }
    return json;
  }
}
