package com.foobar.platform.app.posts;

import com.foobar.platform.app.db.Database;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every {@code posts.idempotencyPurgeIntervalSeconds}, expired idempotency keys go in small batches
 * ({@link IdempotencyStore#purgeExpired}). Purges never overlap, and one that fails waits for the next.
 */
public final class IdempotencyPurges {

  private static final Logger LOG = LoggerFactory.getLogger(IdempotencyPurges.class);

  private final Vertx vertx;
  private final Database database;
  private final PostsOptions options;
  private final String server;
  private volatile boolean stopped;

  public IdempotencyPurges(Vertx vertx, Database database, PostsOptions options, String server) {
    this.vertx = vertx;
    this.database = database;
    this.options = options;
    this.server = server;
  }

  /** Purges every interval until {@link #stop}. */
  public void start() {
    if (stopped) {
      return;
    }
    vertx.setTimer(options.idempotencyPurgeIntervalSeconds() * 1000L, id ->
      IdempotencyStore.purgeExpired(database, options.idempotencyPurgeBatch())
        .onSuccess(purged -> {
          if (purged > 0) {
            LOG.debug("{}: purged {} expired idempotency keys", server, purged);
          }
        })
        .onFailure(failure -> LOG.debug("{}: idempotency key purge failed: {}", server, failure.toString()))
        .onComplete(done -> start()));
  }

  /** No purge is scheduled after this; one under way finishes. */
  public void stop() {
    stopped = true;
  }
}
