package com.foobar.platform.app.posts;

/**
 * The key's row vanished or is mid-write though its lock was ours: cannot happen in InnoDB; the client retries,
 * the server never guesses.
 */
public final class IdempotencyKeyBusy extends RuntimeException {

  IdempotencyKeyBusy() {
    super("a request with this " + IdempotencyKey.HEADER + " is still being processed; retry", null, false, false);
  }

  /** The request header at fault. */
  public String header() {
    return IdempotencyKey.HEADER;
  }
}
