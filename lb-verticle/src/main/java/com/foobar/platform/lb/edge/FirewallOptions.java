package com.foobar.platform.lb.edge;

import com.foobar.platform.common.Options;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Per-client rules of the balancer ({@code "firewall"} in {@code conf/lb.json}), HAProxy's ACLs and stick
 * table: IP allow and deny lists (CIDR, IPv4 and IPv6; 403), token-bucket rate limits per client IP, route
 * prefix and method (429 with Retry-After) and a cap on one client's concurrent connections. The client table holds
 * at most {@code tableSize} addresses, evicting the oldest idle ones when full, and forgets one idle for
 * {@code expire} ms, so memory stays bounded. The client is the TCP peer, or, when the peer is one of
 * {@code trustedProxies}, the address that proxy names in {@code X-Forwarded-For}.
 *
 * <p>On by default: writes under {@code /api/} ({@code POST}, {@code PUT}, {@code DELETE}) at 2 per second with a
 * burst of 10 per client, and 64 connections per client. Reads are not limited. These are an operator's numbers:
 * a person posting by hand never meets them, a script emptying the site does.
 */
public class FirewallOptions {

  public static final int DEFAULT_MAX_CONNECTIONS_PER_CLIENT = 64;
  public static final int DEFAULT_TABLE_SIZE = 100_000;
  public static final int DEFAULT_EXPIRE_MS = 60_000;
  public static final List<String> WRITE_METHODS = List.of("POST", "PUT", "DELETE");
  /** Writes to the API: 2 per second, bursts of 10, per client address. */
  public static final List<RateLimit> DEFAULT_RATE_LIMITS = List.of(new RateLimit("/api/", WRITE_METHODS, 2, 10));

  private static final Set<String> KEYS = Set.of("allow", "deny", "rateLimits", "maxConnectionsPerClient",
    "tableSize", "expire", "trustedProxies");

  /**
   * Requests per second (refill) and burst (bucket size) for paths starting with {@code prefix} and, when
   * {@code methods} is not empty, only for those methods.
   */
  public record RateLimit(String prefix, List<String> methods, double rate, int burst) {
    public RateLimit {
      if (prefix == null || !prefix.startsWith("/")) {
        throw new IllegalArgumentException("firewall.rateLimits[].prefix must start with /");
      }
      if (!(rate > 0) || rate > 1_000_000) {
        throw new IllegalArgumentException("firewall.rateLimits[].rate must be > 0 requests per second");
      }
      Options.requireRange("firewall.rateLimits[].burst", burst, 1, 1_000_000);
      methods = methods == null ? List.of() : methods.stream().map(RateLimit::method).distinct().toList();
    }

    /** Every method. */
    public RateLimit(String prefix, double rate, int burst) {
      this(prefix, List.of(), rate, burst);
    }

    private static String method(String name) {
      String upper = name == null ? "" : name.strip().toUpperCase(Locale.ROOT);
      if (!upper.matches("[A-Z]{1,20}")) {
        throw new IllegalArgumentException("firewall.rateLimits[].methods: '" + name + "' is not an HTTP method");
      }
      return upper;
    }

    static RateLimit fromJson(Object item) {
      if (!(item instanceof JsonObject json)) {
        throw new IllegalArgumentException(
          "firewall.rateLimits: each entry is {\"prefix\", \"methods\", \"rate\", \"burst\"}");
      }
      Options.requireKnownKeys(json, Set.of("prefix", "methods", "rate", "burst"), "rate limit");
      Number rate = json.getNumber("rate");
      if (rate == null) {
        throw new IllegalArgumentException("firewall.rateLimits[].rate is required");
      }
      return new RateLimit(json.getString("prefix"), strings(json.getJsonArray("methods", new JsonArray())),
        rate.doubleValue(), json.getInteger("burst", (int) Math.max(1, Math.ceil(rate.doubleValue()))));
    }

    JsonObject toJson() {
      return new JsonObject().put("prefix", prefix).put("methods", new JsonArray(new ArrayList<>(methods)))
        .put("rate", rate).put("burst", burst);
    }
  }

  private List<String> allow = new ArrayList<>();
  private List<String> deny = new ArrayList<>();
  private List<RateLimit> rateLimits = new ArrayList<>(DEFAULT_RATE_LIMITS);
  private List<String> trustedProxies = new ArrayList<>();
  private int maxConnectionsPerClient = DEFAULT_MAX_CONNECTIONS_PER_CLIENT;
  private int tableSize = DEFAULT_TABLE_SIZE;
  private int expire = DEFAULT_EXPIRE_MS;

  public FirewallOptions() {
  }

  public FirewallOptions(JsonObject json) {
    Options.requireKnownKeys(json, KEYS, "firewall options");
    setAllow(strings(json.getJsonArray("allow", new JsonArray())));
    setDeny(strings(json.getJsonArray("deny", new JsonArray())));
    if (json.containsKey("rateLimits")) {
      List<RateLimit> limits = new ArrayList<>();
      json.getJsonArray("rateLimits").forEach(item -> limits.add(RateLimit.fromJson(item)));
      setRateLimits(limits);
    }
    setTrustedProxies(strings(json.getJsonArray("trustedProxies", new JsonArray())));
    setMaxConnectionsPerClient(json.getInteger("maxConnectionsPerClient", maxConnectionsPerClient));
    setTableSize(json.getInteger("tableSize", tableSize));
    setExpire(json.getInteger("expire", expire));
  }

  private static List<String> strings(JsonArray array) {
    List<String> list = new ArrayList<>();
    array.forEach(item -> list.add(String.valueOf(item)));
    return list;
  }

  public JsonObject toJson() {
    JsonArray limits = new JsonArray();
    rateLimits.forEach(limit -> limits.add(limit.toJson()));
    return new JsonObject().put("allow", new JsonArray(new ArrayList<>(allow)))
      .put("deny", new JsonArray(new ArrayList<>(deny))).put("rateLimits", limits)
      .put("maxConnectionsPerClient", maxConnectionsPerClient).put("tableSize", tableSize).put("expire", expire)
      .put("trustedProxies", new JsonArray(new ArrayList<>(trustedProxies)));
  }

  public List<String> getAllow() { return allow; }

  /** CIDRs (or single addresses) allowed in; empty allows every address not denied. */
  public FirewallOptions setAllow(List<String> allow) { this.allow = validCidrs("firewall.allow", allow); return this; }

  public List<String> getDeny() { return deny; }

  /** CIDRs (or single addresses) refused with a 403; deny wins over allow. */
  public FirewallOptions setDeny(List<String> deny) { this.deny = validCidrs("firewall.deny", deny); return this; }

  public List<RateLimit> getRateLimits() { return rateLimits; }

  /**
   * Token buckets per client IP; a request counts against the rule with the longest prefix that matches its path
   * and method. Empty: no rate limits.
   */
  public FirewallOptions setRateLimits(List<RateLimit> rateLimits) { this.rateLimits = new ArrayList<>(rateLimits); return this; }

  public int getMaxConnectionsPerClient() { return maxConnectionsPerClient; }

  /** Concurrent connections one client IP may hold; more are closed on accept; 0 = no cap. */
  public FirewallOptions setMaxConnectionsPerClient(int v) { this.maxConnectionsPerClient = Options.requireRange("firewall.maxConnectionsPerClient", v, 0, 1_000_000); return this; }

  public int getTableSize() { return tableSize; }

  /**
   * Client addresses tracked at most; when full, the oldest entries without an open connection are evicted
   * (HAProxy's behaviour), counted in {@code foobar_lb_client_table_evictions_total}.
   */
  public FirewallOptions setTableSize(int v) { this.tableSize = Options.requireRange("firewall.tableSize", v, 1, 10_000_000); return this; }

  public int getExpire() { return expire; }

  /** Ms after which an idle client's entry (no connection, full bucket) is forgotten. */
  public FirewallOptions setExpire(int v) { this.expire = Options.requireRange("firewall.expire", v, 1000, 86_400_000); return this; }

  public List<String> getTrustedProxies() { return trustedProxies; }

  /**
   * CIDRs of proxies in front of the balancer (a CDN, a TLS terminator): for a connection from one of them the
   * client is the rightmost address of {@code X-Forwarded-For} that is not itself trusted, and the connection
   * cap does not apply to the proxy (it carries many clients). Empty: the TCP peer is the client, whatever it
   * claims.
   */
  public FirewallOptions setTrustedProxies(List<String> v) { this.trustedProxies = validCidrs("firewall.trustedProxies", v); return this; }

  private static List<String> validCidrs(String name, List<String> cidrs) {
    List<String> list = new ArrayList<>();
    for (String cidr : cidrs) {
      try {
        Cidr.parse(cidr);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
      }
      list.add(cidr.trim());
    }
    return list;
  }
}
