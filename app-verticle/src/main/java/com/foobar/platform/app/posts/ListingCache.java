package com.foobar.platform.app.posts;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The public listing's pages as sent (their JSON bytes), each kept for {@code ttlMs} from the moment its query
 * was sent: a micro-cache, as nginx's {@code fastcgi_cache_valid 1s} in front of a PHP listing. Every visitor asks
 * for the same first page; without it each request cost a replica query of 21 rows, their decoding and their
 * JSON encoding. What a visitor may see is unchanged in kind: a read without a consistency token is already
 * served by a replica up to {@code maxReplicationLagSeconds} behind, and a page here is at most {@code ttlMs}
 * older than such a read (the default is far below that bound). Reads carrying a token never come here (they must
 * see their own write). Requests arriving while a page loads share its query; a failed load is not kept.
 * At most {@code maxPages} pages are kept (cursors are the client's choice): past that the cache starts afresh.
 */
final class ListingCache {

  private record Entry(Future<Buffer> page, long expiresAtNanos) {
  }

  private final long ttlNanos;
  private final int maxPages;
  private final Map<String, Entry> pages = new ConcurrentHashMap<>();

  ListingCache(int ttlMs, int maxPages) {
    this.ttlNanos = ttlMs * 1_000_000L;
    this.maxPages = maxPages;
  }

  /** The page for {@code key}: a fresh one kept here, or {@code load}'s (kept when the ttl is not 0). */
  Future<Buffer> page(String key, Supplier<Future<Buffer>> load) {
    if (ttlNanos == 0) {
      return load.get();
    }
    long now = System.nanoTime();
    Entry kept = pages.get(key);
    if (kept != null && now - kept.expiresAtNanos() < 0) {
      return kept.page();
    }
    if (kept == null && pages.size() >= maxPages) {
      pages.clear();
    }
    Entry loading = new Entry(load.get(), now + ttlNanos);
    pages.put(key, loading);
    loading.page().onFailure(failed -> pages.remove(key, loading));
    return loading.page();
  }
}
