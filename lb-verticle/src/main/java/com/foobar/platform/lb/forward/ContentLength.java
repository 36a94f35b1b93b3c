package com.foobar.platform.lb.forward;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;

/**
 * The balancer's one reader of {@code Content-Length}, for requests and responses alike. Vert.x's decoder already
 * refuses a malformed or negative value on the way in; whatever still does not parse counts as no declared length.
 */
final class ContentLength {

  /** No length declared (absent, or not a number). */
  static final long NONE = -1;

  private ContentLength() {
  }

  /** The declared body length of a message with these headers, or {@link #NONE}. */
  static long of(MultiMap headers) {
    String value = headers.get(HttpHeaders.CONTENT_LENGTH);
    if (value == null) {
      return NONE;
    }
    try {
      long length = Long.parseLong(value.trim());
      return length < 0 ? NONE : length;
    } catch (NumberFormatException e) {
      return NONE;
    }
  }

  /** Whether a request with these headers has a body: a non-zero declared length, or a transfer coding. */
  static boolean announcesBody(MultiMap headers) {
    return headers.contains(HttpHeaders.TRANSFER_ENCODING)
      || (headers.contains(HttpHeaders.CONTENT_LENGTH) && of(headers) != 0);
  }
}
