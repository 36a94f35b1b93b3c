package com.foobar.platform.common;

/**
 * One error a tier answers with: its HTTP status and the code of the JSON body's {@code error}. Each tier's one
 * list of its errors (the balancer's {@code LbError}, the app's {@code AppError}, the monitor's
 * {@code MonitorErrors.Code}) holds one of these per entry, and every answer is made here.
 */
public record ErrorCode(int status, String code) {

  public HttpStatusException answer(String message) {
    return new HttpStatusException(status, code, message);
  }

  /** {@code field} names the input at fault (or null), {@code retryAfterSeconds} is 0 for no Retry-After. */
  public HttpStatusException answer(String message, String field, int retryAfterSeconds, Throwable cause) {
    return new HttpStatusException(status, code, message, field, retryAfterSeconds, cause);
  }
}
