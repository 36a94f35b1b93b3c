package com.foobar.platform.app;

import com.foobar.platform.common.ErrorCode;
import com.foobar.platform.common.HttpStatusException;

/**
 * Every error the app answers with: its code (the {@code error} of the JSON body), its status, and whether it asks
 * the client to come back ({@code Retry-After}). The one list; {@link AppErrors} says which failure is which.
 */
enum AppError {

  VALIDATION_FAILED(400, "validation_failed"),
  INVALID_JSON(400, "invalid_json"),
  INVALID_IDEMPOTENCY_KEY(400, "invalid_idempotency_key"),
  FORBIDDEN(403, "forbidden"),
  NOT_FOUND(404, "not_found"),
  /** A duplicate of a keyed request still under way: retry in a second. */
  IDEMPOTENCY_KEY_BUSY(409, "idempotency_key_busy"),
  UNSUPPORTED_MEDIA_TYPE(415, "unsupported_media_type"),
  IDEMPOTENCY_KEY_REUSED(422, "idempotency_key_reused"),
  WRITES_REFUSED(503, "writes_refused"),
  DATABASE_UNAVAILABLE(503, "database_unavailable");

  private final ErrorCode error;

  AppError(int status, String code) {
    this.error = new ErrorCode(status, code);
  }

  /** The answer: {@code field} names the input at fault (or null), {@code retryAfterSeconds} 0 for none. */
  HttpStatusException answer(String message, String field, int retryAfterSeconds, Throwable cause) {
    return error.answer(message, field, retryAfterSeconds, cause);
  }

  HttpStatusException answer(String message) {
    return error.answer(message);
  }
}
