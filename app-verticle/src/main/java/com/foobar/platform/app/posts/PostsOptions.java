package com.foobar.platform.app;

import com.foobar.platform.common.Options;
import io.vertx.core.json.JsonObject;

import java.util.Set;

/**
 * The {@code posts} key of {@link AppOptions}: how long an {@code Idempotency-Key} is remembered, and how often
 * expired keys are purged. {@code {"idempotencyKeyTtlSeconds": 86400, "idempotencyPurgeIntervalSeconds": 60,
 * "idempotencyPurgeBatch": 500}}.
 */
public class PostsOptions {

  /** A day, as Stripe keeps keys: far longer than any client's retries. */
  public static final int DEFAULT_IDEMPOTENCY_KEY_TTL_SECONDS = 86_400;
  public static final int DEFAULT_IDEMPOTENCY_PURGE_INTERVAL_SECONDS = 60;
  public static final int DEFAULT_IDEMPOTENCY_PURGE_BATCH = 500;

  private static final Set<String> KEYS = Set.of("idempotencyKeyTtlSeconds", "idempotencyPurgeIntervalSeconds",
    "idempotencyPurgeBatch");

  private int idempotencyKeyTtlSeconds = DEFAULT_IDEMPOTENCY_KEY_TTL_SECONDS;
  private int idempotencyPurgeIntervalSeconds = DEFAULT_IDEMPOTENCY_PURGE_INTERVAL_SECONDS;
  private int idempotencyPurgeBatch = DEFAULT_IDEMPOTENCY_PURGE_BATCH;

  public PostsOptions() {
  }

  public PostsOptions(JsonObject json) {
    Options.requireKnownKeys(json, KEYS, "app posts options");
    setIdempotencyKeyTtlSeconds(json.getInteger("idempotencyKeyTtlSeconds", idempotencyKeyTtlSeconds));
    setIdempotencyPurgeIntervalSeconds(json.getInteger("idempotencyPurgeIntervalSeconds",
      idempotencyPurgeIntervalSeconds));
    setIdempotencyPurgeBatch(json.getInteger("idempotencyPurgeBatch", idempotencyPurgeBatch));
  }

  public JsonObject toJson() {
    return new JsonObject().put("idempotencyKeyTtlSeconds", idempotencyKeyTtlSeconds)
      .put("idempotencyPurgeIntervalSeconds", idempotencyPurgeIntervalSeconds)
      .put("idempotencyPurgeBatch", idempotencyPurgeBatch);
  }

  public int getIdempotencyKeyTtlSeconds() {
    return idempotencyKeyTtlSeconds;
  }

  /** Seconds a key's answer is kept; a repeat after that runs as a new request. */
  public PostsOptions setIdempotencyKeyTtlSeconds(int seconds) {
    this.idempotencyKeyTtlSeconds = Options.requireRange("posts.idempotencyKeyTtlSeconds", seconds, 1, 30 * 86_400);
    return this;
  }

  public int getIdempotencyPurgeIntervalSeconds() {
    return idempotencyPurgeIntervalSeconds;
  }

  /** Seconds between purges of expired keys (each server purges; a purge is a few small deletes). */
  public PostsOptions setIdempotencyPurgeIntervalSeconds(int seconds) {
    this.idempotencyPurgeIntervalSeconds = Options.requireRange("posts.idempotencyPurgeIntervalSeconds", seconds, 1,
      86_400);
    return this;
  }

  public int getIdempotencyPurgeBatch() {
    return idempotencyPurgeBatch;
  }

  /** Rows one purge statement deletes at most: small, so it holds few locks and makes a small binlog event. */
  public PostsOptions setIdempotencyPurgeBatch(int rows) {
    this.idempotencyPurgeBatch = Options.requireRange("posts.idempotencyPurgeBatch", rows, 1, 100_000);
    return this;
  }
}
