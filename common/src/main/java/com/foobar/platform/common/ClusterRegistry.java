package com.foobar.platform.common;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;

import java.util.Map;

/**
 * The cluster-wide directory of running parts (a clustered {@link AsyncMap}, Hazelcast under {@code -cluster}):
 * application servers announce their public {@code host:port} under {@link #SERVERS}, the balancer reads that
 * list and adds each server to its pool; the monitor announces the database nodes it manages under
 * {@link #DATABASES}, configured and discovered, and application servers read from those they were not
 * configured with. Every entry carries a time-to-live and is refreshed well within it, so the entry of a JVM
 * that died (SIGKILL, power loss: no chance to withdraw) disappears by itself; a server that stops cleanly
 * withdraws at once. Both sides use this one class so the key and entry format cannot drift apart.
 */
public final class ClusterRegistry {

  /** Application servers: key {@code host:port}, value {@code {"address": "host:port", "name": ...}}. */
  public static final String SERVERS = "foobar.servers";
  /** Database nodes: key {@code host:port}, value {@code {"address": "host:port", "name": ...}}. */
  public static final String DATABASES = "foobar.databases";

  private final Vertx vertx;
  private final String map;

  public ClusterRegistry(Vertx vertx, String map) {
    this.vertx = vertx;
    this.map = map;
  }

  /**
   * The time-to-live of an entry refreshed every {@code intervalMs}: three intervals, rounded up to whole
   * seconds and at least 2 s. Hazelcast expires entries with a precision of about a second, so a sub-second
   * TTL can expire an entry between two refreshes of a live member.
   */
  public static long ttl(long intervalMs) {
    long seconds = Math.max(2, (3 * intervalMs + 999) / 1000);
    return seconds * 1000;
  }

  /** Puts (or refreshes) an entry that expires after {@code ttlMs} unless refreshed again. */
  public Future<Void> announce(String key, JsonObject entry, long ttlMs) {
    return map().compose(directory -> directory.put(key, entry, ttlMs));
  }

  /** Removes an entry (clean shutdown). */
  public Future<Void> withdraw(String key) {
    return map().compose(directory -> directory.remove(key)).mapEmpty();
  }

  /** Every live entry. */
  public Future<Map<String, JsonObject>> entries() {
    return map().compose(AsyncMap::entries);
  }

  private Future<AsyncMap<String, JsonObject>> map() {
    return vertx.sharedData().getAsyncMap(map);
  }
}
