package com.foobar.platform.app;

import com.foobar.platform.app.db.NoDatabaseNode;
import com.foobar.platform.app.db.WritesRefused;
import com.foobar.platform.app.posts.EditTokenRefused;
import com.foobar.platform.app.posts.IdempotencyKeyBusy;
import com.foobar.platform.app.posts.IdempotencyKeyReused;
import com.foobar.platform.app.posts.InvalidInput;
import com.foobar.platform.app.posts.PostNotFound;
import com.foobar.platform.app.posts.ProbeRefused;
import com.foobar.platform.app.web.BadPath;
import com.foobar.platform.common.HttpStatusException;

import java.util.Optional;

/**
 * The one place where the app's failures become HTTP statuses, for the public and the management port alike:
 * domain failures of the posts, the static files and the database ({@link AppError} for the codes). An unusable
 * database is a 503 with {@code Retry-After}, never a 500. What is not known here falls back to the generic
 * mapping of {@code ErrorResponses}.
 */
public final class AppErrors {

  /** A busy idempotency key is a duplicate under way: it is answered within moments. */
  private static final int BUSY_RETRY_AFTER_SECONDS = 1;

  private final int retryAfterSeconds;

  /** {@code retryAfterSeconds}: the {@code Retry-After} of a 503 when the database cannot serve. */
  public AppErrors(int retryAfterSeconds) {
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public Optional<HttpStatusException> classify(Throwable failure) {
    return Optional.ofNullable(answer(failure));
  }

  private HttpStatusException answer(Throwable failure) {
    String message = failure.getMessage();
    if (failure instanceof InvalidInput invalid) {
      return input(invalid);
    }
    if (failure instanceof BadPath) {
      return AppError.VALIDATION_FAILED.answer(message, "path", 0, null);
    }
    if (failure instanceof PostNotFound) {
      return AppError.NOT_FOUND.answer(message);
    }
    if (failure instanceof EditTokenRefused || failure instanceof ProbeRefused) {
      return AppError.FORBIDDEN.answer(message);
    }
    if (failure instanceof IdempotencyKeyReused reused) {
      return AppError.IDEMPOTENCY_KEY_REUSED.answer(message, reused.header(), 0, null);
    }
    if (failure instanceof IdempotencyKeyBusy busy) {
      return AppError.IDEMPOTENCY_KEY_BUSY.answer(message, busy.header(), BUSY_RETRY_AFTER_SECONDS, null);
    }
    if (failure instanceof WritesRefused) {
      return AppError.WRITES_REFUSED.answer(message, null, retryAfterSeconds, null);
    }
    if (failure instanceof NoDatabaseNode) {
      return AppError.DATABASE_UNAVAILABLE.answer(message, null, retryAfterSeconds, failure.getCause());
    }
    return null;
  }

  private static HttpStatusException input(InvalidInput invalid) {
    AppError error = switch (invalid.kind()) {
      case FIELD -> AppError.VALIDATION_FAILED;
      case NOT_JSON -> AppError.INVALID_JSON;
      case NOT_JSON_CONTENT -> AppError.UNSUPPORTED_MEDIA_TYPE;
      case IDEMPOTENCY_KEY -> AppError.INVALID_IDEMPOTENCY_KEY;
    };
    return error.answer(invalid.getMessage(), invalid.field(), 0, null);
  }
}
