package com.foobar.platform.lb;

import com.foobar.platform.common.HttpStatusException;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The balancer's per-client rules, shared by every verticle instance of a deployment (like HAProxy's stick
 * table, one per process): allow/deny lists, a token bucket per client IP and rate-limit rule, and a count of
 * each client's open connections. {@link #sweep()} forgets idle clients so memory stays bounded by
 * {@code tableSize}; a client that arrives while the table is full is served without rate limiting (failing
 * open, as HAProxy does when a stick table is full) and counted in the metrics.
 */
final class Firewall {

  private final List<Cidr> allow;
  private final List<Cidr> deny;
  /** Longest prefix first, so the most specific rule wins. */
  private final List<FirewallOptions.RateLimit> limits;
  private final int maxConnections;
  private final int tableSize;
  private final long expireNanos;
  private final Map<String, Client> clients = new ConcurrentHashMap<>();

  /** One client address: open connections, its buckets (one per rule, same order) and when it was last seen. */
  static final class Client {
    final AtomicInteger connections = new AtomicInteger();
    private final double[] tokens;
    private final long[] refilled;
    private volatile long lastSeen;

    Client(int rules, long now) {
      tokens = new double[rules];
      refilled = new long[rules];
      lastSeen = now;
    }
  }

  Firewall(FirewallOptions options) {
    this.allow = options.getAllow().stream().map(Cidr::parse).toList();
    this.deny = options.getDeny().stream().map(Cidr::parse).toList();
    this.limits = options.getRateLimits().stream()
      .sorted(Comparator.comparingInt((FirewallOptions.RateLimit l) -> l.prefix().length()).reversed()).toList();
    this.maxConnections = options.getMaxConnectionsPerClient();
    this.tableSize = options.getTableSize();
    this.expireNanos = options.getExpire() * 1_000_000L;
  }

  /** A 403 when the address is denied or not allowed, else null. */
  HttpStatusException checkAddress(String ip) {
    if (allow.isEmpty() && deny.isEmpty()) {
      return null;
    }
    byte[] address = ip == null ? null : Cidr.literal(ip);
    boolean denied = deny.stream().anyMatch(cidr -> cidr.contains(address));
    boolean allowed = allow.isEmpty() || allow.stream().anyMatch(cidr -> cidr.contains(address));
    return denied || !allowed ? new HttpStatusException(403, "forbidden", "your address may not use this site") : null;
  }

  /** Counts a new connection; false (close it) when the client already holds the maximum. */
  boolean connectionOpened(String ip) {
    if (maxConnections <= 0) {
      return true;
    }
    Client client = client(ip);
    if (client == null) {
      return true;
    }
    if (client.connections.incrementAndGet() > maxConnections) {
      client.connections.decrementAndGet();
      return false;
    }
    return true;
  }

  void connectionClosed(String ip) {
    if (maxConnections <= 0) {
      return;
    }
    Client client = clients.get(ip);
    if (client != null) {
      client.connections.decrementAndGet();
      client.lastSeen = System.nanoTime();
    }
  }

  /** Takes a token for the request; a 429 with Retry-After when the client's bucket for its path is empty. */
  HttpStatusException checkRate(String ip, String path) {
    int rule = rule(path);
    if (rule < 0) {
      return null;
    }
    Client client = client(ip);
    if (client == null) {
      return null;
    }
    FirewallOptions.RateLimit limit = limits.get(rule);
    long now = System.nanoTime();
    double missing;
    synchronized (client) {
      client.lastSeen = now;
      if (client.refilled[rule] == 0) {
        client.tokens[rule] = limit.burst();
      } else {
        double earned = (now - client.refilled[rule]) / 1e9 * limit.rate();
        client.tokens[rule] = Math.min(limit.burst(), client.tokens[rule] + earned);
      }
      client.refilled[rule] = now;
      if (client.tokens[rule] >= 1) {
        client.tokens[rule] -= 1;
        return null;
      }
      missing = 1 - client.tokens[rule];
    }
    int retryAfter = (int) Math.max(1, Math.ceil(missing / limit.rate()));
    return new HttpStatusException(429, "too_many_requests", "more than " + limit.rate() + " requests per second to "
      + limit.prefix() + " from your address", null, retryAfter, null);
  }

  private int rule(String path) {
    if (path == null) {
      return -1;
    }
    for (int i = 0; i < limits.size(); i++) {
      if (path.startsWith(limits.get(i).prefix())) {
        return i;
      }
    }
    return -1;
  }

  private Client client(String ip) {
    String key = ip == null ? "unknown" : ip;
    Client client = clients.get(key);
    if (client != null || clients.size() >= tableSize) {
      return client;
    }
    return clients.computeIfAbsent(key, k -> new Client(limits.size(), System.nanoTime()));
  }

  /** Forgets clients with no open connection not seen for {@code expire}; their buckets would be full again. */
  int sweep() {
    long now = System.nanoTime();
    int before = clients.size();
    clients.entrySet().removeIf(e -> e.getValue().connections.get() <= 0 && now - e.getValue().lastSeen > expireNanos);
    return before - clients.size();
  }

  int size() {
    return clients.size();
  }

  boolean tracksClients() {
    return maxConnections > 0 || !limits.isEmpty();
  }
}
