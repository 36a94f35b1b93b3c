package com.foobar.platform.lb.edge;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.http.HttpMethod;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The balancer's per-client rules, shared by every verticle instance of a deployment (like HAProxy's stick
 * table, one per process): allow/deny lists, a token bucket per client and rate-limit rule, and a count of each
 * client's open connections. {@link #sweep()} forgets idle clients; when the table is full anyway, the oldest
 * entries without an open connection are evicted to make room (HAProxy's {@code stktable_trash_oldest}), counted
 * in {@code foobar_lb_client_table_evictions_total}. Only when every entry holds an open connection is a new
 * client served untracked, counted in {@code foobar_lb_client_table_untracked_total}: never silently.
 *
 * <p>Reads pay nothing under the default rules: {@link #rule} looks at the method and path only, and a request
 * no rule matches never touches the table.
 */
final class Firewall {

  /** The handle of a connection the table does not count (no cap, a trusted proxy, a full table). */
  static final Client UNTRACKED = new Client(0, 0);
  /** The client table's counters as registered (Prometheus shows them with {@code _total}). */
  static final String EVICTIONS_METRIC = "foobar_lb_client_table_evictions";
  static final String UNTRACKED_METRIC = "foobar_lb_client_table_untracked";

  private final List<Cidr> allow;
  private final List<Cidr> deny;
  private final ClientAddress clientAddress;
  /** Longest prefix first, so the most specific rule wins. */
  private final FirewallOptions.RateLimit[] limits;
  /** Per rule, the methods it counts; an empty array counts every method. */
  private final HttpMethod[][] methods;
  private final int maxConnections;
  private final int tableSize;
  private final long expireNanos;
  private final Map<String, Client> clients = new ConcurrentHashMap<>();
  private final Object evicting = new Object();
  private final Counter evictions;
  private final Counter untracked;
  private final Gauge entries;
  private final MeterRegistry registry;

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

  Firewall(FirewallOptions options, MeterRegistry registry) {
    this.allow = options.allow();
    this.deny = options.deny();
    this.clientAddress = new ClientAddress(options.trustedProxies());
    this.limits = options.rateLimits().stream()
      .sorted(Comparator.comparingInt((FirewallOptions.RateLimit l) -> l.prefix().length()).reversed())
      .toArray(FirewallOptions.RateLimit[]::new);
    this.methods = new HttpMethod[limits.length][];
    for (int i = 0; i < limits.length; i++) {
      methods[i] = limits[i].methods().stream().map(HttpMethod::valueOf).toArray(HttpMethod[]::new);
    }
    this.maxConnections = options.maxConnectionsPerClient();
    this.tableSize = options.tableSize();
    this.expireNanos = options.expireMs() * 1_000_000L;
    this.registry = registry;
    this.evictions = Counter.builder(EVICTIONS_METRIC)
      .description("Client table entries evicted, oldest first, to make room for new clients (the table was full)")
      .register(registry);
    this.untracked = Counter.builder(UNTRACKED_METRIC)
      .description("Clients served without limits because every entry of the full client table had an open"
        + " connection").register(registry);
    this.entries = Gauge.builder("foobar_lb_client_table_entries", clients, Map::size)
      .description("Client addresses tracked now (firewall.tableSize at most)").register(registry);
  }

  /** The client a request is counted as: the TCP peer, or what a trusted proxy says ({@link ClientAddress}). */
  ClientAddress clientAddress() {
    return clientAddress;
  }

  boolean filtersAddresses() {
    return !allow.isEmpty() || !deny.isEmpty();
  }

  /** Whether the address may come in: not denied, and allowed when there is an allow list. */
  boolean admits(String ip) {
    if (!filtersAddresses()) {
      return true;
    }
    byte[] address = Cidr.literal(ip);
    boolean denied = deny.stream().anyMatch(cidr -> cidr.contains(address));
    boolean allowed = allow.isEmpty() || allow.stream().anyMatch(cidr -> cidr.contains(address));
    return allowed && !denied;
  }

  /**
   * Counts a new connection of the TCP peer {@code ip}: its handle, to give back to {@link #connectionClosed}, or
   * null (close it) when the client already holds the maximum. A trusted proxy is not capped: it carries many
   * clients' connections.
   */
  Client connectionOpened(String ip) {
    if (maxConnections <= 0 || clientAddress.trusted(ip)) {
      return UNTRACKED;
    }
    Client client = client(ip);
    if (client == null) {
      return UNTRACKED;
    }
    client.lastSeen = System.nanoTime();
    if (client.connections.incrementAndGet() > maxConnections) {
      client.connections.decrementAndGet();
      return null;
    }
    return client;
  }

  /** The connection counted by {@link #connectionOpened} closed; the same handle, even if evicted since. */
  void connectionClosed(Client client) {
    if (client != null && client != UNTRACKED) {
      client.connections.decrementAndGet();
      client.lastSeen = System.nanoTime();
    }
  }

  /** The index of the rate-limit rule counting this request, or -1: a look at method and path, no allocation. */
  int rule(HttpMethod method, String path) {
    if (path == null) {
      return -1;
    }
    for (int i = 0; i < limits.length; i++) {
      if (path.startsWith(limits[i].prefix()) && counts(methods[i], method)) {
        return i;
      }
    }
    return -1;
  }

  private static boolean counts(HttpMethod[] methods, HttpMethod method) {
    if (methods.length == 0) {
      return true;
    }
    for (HttpMethod counted : methods) {
      if (counted.equals(method)) {
        return true;
      }
    }
    return false;
  }

  /** Takes a token of rule {@code rule} for the client; a refusal saying when to come back when its bucket is empty. */
  Refusal.RateLimited checkRate(String ip, int rule) {
    if (rule < 0) {
      return null;
    }
    Client client = client(ip);
    if (client == null) {
      return null;
    }
    FirewallOptions.RateLimit limit = limits[rule];
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
    return new Refusal.RateLimited(describe(limit), retryAfter);
  }

  /** Shorthand for {@code checkRate(ip, rule(method, path))}. */
  Refusal.RateLimited checkRate(String ip, HttpMethod method, String path) {
    return checkRate(ip, rule(method, path));
  }

  private static String describe(FirewallOptions.RateLimit limit) {
    String rate = limit.rate() == Math.rint(limit.rate()) ? Long.toString((long) limit.rate())
      : String.format(Locale.ROOT, "%.2f", limit.rate());
    return rate + (limit.methods().isEmpty() ? " requests" : " " + String.join("/", limit.methods()) + " requests")
      + " per second (bursts of " + limit.burst() + ") to " + limit.prefix();
  }

  private Client client(String ip) {
    String key = ip == null ? "unknown" : ip;
    Client client = clients.get(key);
    if (client != null) {
      return client;
    }
    if (clients.size() >= tableSize && !makeRoom()) {
      untracked.increment();
      return null;
    }
    return clients.computeIfAbsent(key, k -> new Client(limits.length, System.nanoTime()));
  }

  /**
   * The table is full: evicts the oldest entries that hold no connection, a sixty-fourth of the table at once, so a
   * full table costs one scan per many new clients rather than one per client. True when there is room now.
   */
  private boolean makeRoom() {
    synchronized (evicting) {
      if (clients.size() < tableSize) {
        return true;
      }
      int batch = Math.max(1, tableSize / 64);
      record Seen(String key, Client client, long at) {
      }
      PriorityQueue<Seen> oldest = new PriorityQueue<>(batch + 1, Comparator.comparingLong(Seen::at).reversed());
      for (Map.Entry<String, Client> entry : clients.entrySet()) {
        Client candidate = entry.getValue();
        if (candidate.connections.get() <= 0) {
          oldest.add(new Seen(entry.getKey(), candidate, candidate.lastSeen));
          if (oldest.size() > batch) {
            oldest.poll();
          }
        }
      }
      List<Seen> evict = new ArrayList<>(oldest);
      int removed = 0;
      for (Seen seen : evict) {
        if (clients.remove(seen.key(), seen.client())) {
          removed++;
        }
      }
      evictions.increment(removed);
      return clients.size() < tableSize;
    }
  }

  /** Forgets clients with no open connection not seen for {@code expireMs}; their buckets would be full again. */
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
    return maxConnections > 0 || limits.length > 0;
  }

  /** Takes this table's gauge out of the registry (its counters are shared by name and stay). */
  void close() {
    registry.remove(entries);
  }
}
