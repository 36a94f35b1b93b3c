package com.foobar.platform.app.posts;

import com.foobar.platform.common.config.Key;
import com.foobar.platform.common.config.Schema;
import com.foobar.platform.common.config.Settings;

/**
 * The {@code posts} key of the app's options: how long an {@code Idempotency-Key} is remembered, how expired
 * keys are purged, and how long a page of the public listing is kept ({@link ListingCache}).
 */
public record PostsOptions(
  int idempotencyKeyTtlSeconds,
  int idempotencyPurgeIntervalSeconds,
  int idempotencyPurgeBatch,
  int listingCacheMs) {

  public static final Schema SCHEMA = new Schema("app posts options");
  static final Key<Integer> KEY_TTL = SCHEMA.seconds("idempotencyKeyTtlSeconds", 86_400, 1, 30 * 86_400,
    "how long an `Idempotency-Key` and its answer are kept (a day, as Stripe keeps them: far longer than any "
      + "client's retries); a repeat after that runs as a new request");
  static final Key<Integer> PURGE_INTERVAL = SCHEMA.seconds("idempotencyPurgeIntervalSeconds", 60, 1, 86_400,
    "between purges of expired keys (each server purges; a purge is a few small deletes)");
  static final Key<Integer> PURGE_BATCH = SCHEMA.integer("idempotencyPurgeBatch", 500, 1, 100_000,
    "rows one purge statement deletes at most (at most " + IdempotencyStore.MAX_BATCHES + " statements a purge): few "
      + "locks, a small binlog event");

  static final Key<Integer> LISTING_CACHE = SCHEMA.millis("listingCacheMs", 250, 0, 10_000,
    "how long a page of the public listing (`GET /api/posts` without a consistency token) is kept as sent, "
      + "shared by every visitor: at most this much older than a replica's answer, which may itself be "
      + "`maxReplicationLagSeconds` behind; 0 queries the database for every request");

  public PostsOptions(Settings settings) {
    this(settings.get(KEY_TTL), settings.get(PURGE_INTERVAL), settings.get(PURGE_BATCH), settings.get(LISTING_CACHE));
  }
}
