package com.foobar.platform.app;

import com.foobar.platform.common.HttpStatusException;

import java.util.Optional;

/** Why a post could not be read or changed, and the one place those reasons become HTTP statuses. */
final class PostFailures {

  private PostFailures() {
  }

  /** No such post (or one hidden by moderation, which the public API does not know). */
  static final class NotFound extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotFound(long id) {
      super("no post with id " + id, null, false, false);
    }
  }

  /** The post exists, and the request did not present its edit token. */
  static final class NotYours extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotYours(long id, boolean presented) {
      super(presented ? "the edit token does not match post " + id
        : "changing post " + id + " needs its edit token (Authorization: Bearer <token> or " + EditTokens.HEADER
        + "), returned once when the post was created", null, false, false);
    }
  }

  /** A repeat of an idempotency key with another request than the one it was first used for. */
  static final class KeyReused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    KeyReused() {
      super("this " + IdempotencyKey.HEADER + " was used for a different request (method, path, credential or"
        + " body); use a new key for a new request", null, false, false);
    }
  }

  static Optional<HttpStatusException> classify(Throwable failure) {
    if (failure instanceof NotFound) {
      return Optional.of(HttpStatusException.notFound(failure.getMessage()));
    }
    if (failure instanceof NotYours) {
      return Optional.of(new HttpStatusException(403, "forbidden", failure.getMessage()));
    }
    if (failure instanceof KeyReused) {
      return Optional.of(new HttpStatusException(422, "idempotency_key_reused", failure.getMessage(),
        IdempotencyKey.HEADER, 0, null));
    }
    return Optional.empty();
  }
}
