package com.foobar.platform.app.posts;

/** A repeat of an idempotency key with another request than the one it was first used for. */
public final class IdempotencyKeyReused extends RuntimeException {

  IdempotencyKeyReused() {
    super("this " + IdempotencyKey.HEADER + " was used for a different request (method, path, credential or"
      + " body); use a new key for a new request", null, false, false);
  }

  /** The request header at fault. */
  public String header() {
    return IdempotencyKey.HEADER;
  }
}
