package com.foobar.platform.lb.edge;

import com.foobar.platform.common.config.Key;
import com.foobar.platform.common.config.Schema;
import com.foobar.platform.common.config.Settings;
import com.foobar.platform.common.config.Types;
import com.foobar.platform.common.config.ValueType;
import com.foobar.platform.lb.LbError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Locale;

/**
 * Per-client rules of the balancer ({@code "firewall"} in {@code conf/lb.json}), HAProxy's ACLs and stick
 * table: IP allow and deny lists (CIDR, IPv4 and IPv6; 403), token-bucket rate limits per client IP, route
 * prefix and method (429 with Retry-After) and a cap on one client's concurrent connections. The client table holds
 * at most {@code tableSize} addresses, evicting the oldest idle ones when full, and forgets one idle for
 * {@code expireMs}, so memory stays bounded. The client is the TCP peer, or, when the peer is one of
 * {@code trustedProxies}, the address that proxy names in {@code X-Forwarded-For}.
 *
 * <p>On by default: writes under {@code /api/} ({@code POST}, {@code PUT}, {@code DELETE}) at 2 per second with a
 * burst of 10 per client, and 64 connections per client. Reads are not limited. These are an operator's numbers:
 * a person posting by hand never meets them, a script emptying the site does.
 */
public final class FirewallOptions {

  /**
   * Requests per second (refill) and burst (bucket size) for paths starting with {@code prefix} and, when
   * {@code methods} is not empty, only for those methods.
   */
  public record RateLimit(String prefix, List<String> methods, double rate, int burst) {
    /** Every method. */
    public RateLimit(String prefix, double rate, int burst) {
      this(prefix, List.of(), rate, burst);
    }

    JsonObject toJson() {
      Object wholeOrNot = rate == Math.rint(rate) ? (Object) (long) rate : rate;
      return new JsonObject().put("prefix", prefix).put("methods", new JsonArray(methods)).put("rate", wholeOrNot)
        .put("burst", burst);
    }
  }

  private static final ValueType<String> CIDR = Types.parsed("an IPv4 or IPv6 address or CIDR",
    raw -> Cidr.parse((String) raw).text(), text -> text);
  private static final ValueType<String> METHOD = Types.parsed("an HTTP method", raw -> method((String) raw),
    method -> method);
  private static final ValueType<Double> RATE = Types.parsed("a number of requests per second above 0, at most "
    + "1000000", raw -> rate((Number) raw), rate -> rate);

  /** One entry of {@code rateLimits}. */
  private static final Schema RULE = new Schema("rate limit");
  private static final Key<String> PREFIX = RULE.key("prefix", Types.checked(Types.text(), "a path prefix",
    prefix -> prefix.startsWith("/") ? null : "must start with /"), null, "path prefix the rule counts");
  private static final Key<List<String>> METHODS = RULE.key("methods", Types.listOf(METHOD), List.of(),
    "methods counted; empty: all");
  private static final Key<Double> RULE_RATE = RULE.key("rate", RATE, null, "requests per second (the refill)");
  private static final Key<Integer> BURST = RULE.key("burst", Types.integer(1, 1_000_000, ""), null,
    "the bucket's size; absent: the rate rounded up");

  public static final Schema SCHEMA = new Schema("firewall options");
  static final Key<List<String>> ALLOW = SCHEMA.key("allow", Types.listOf(CIDR), List.of(), "CIDRs or addresses "
    + "(IPv4 and IPv6, `::ffff:a.b.c.d` matches IPv4) allowed in; empty = all not denied; others get "
    + LbError.FORBIDDEN.named());
  static final Key<List<String>> DENY = SCHEMA.key("deny", Types.listOf(CIDR), List.of(),
    "CIDRs or addresses refused with " + LbError.FORBIDDEN.named() + "; deny wins over allow");
  static final Key<List<RateLimit>> RATE_LIMITS = SCHEMA.key("rateLimits", Types.listOf(Types.parsed(
      "a rate limit {\"prefix\", \"methods\", \"rate\", \"burst\"}", FirewallOptions::rateLimit, RateLimit::toJson)),
    List.of(new RateLimit("/api/", List.of("POST", "PUT", "DELETE"), 2, 10)), "token buckets per client: `prefix` "
      + "of the path, `methods` counted (empty or absent: all), `rate` (requests per second, the refill) and "
      + "`burst` (the bucket; absent: the rate rounded up); a request counts against the rule with the longest "
      + "prefix matching its path and method; an empty bucket gives " + LbError.TOO_MANY_REQUESTS.named()
      + " with `Retry-After` "
      + "(seconds until a token) and a JSON body. By default writes to the API are limited and reads are not; "
      + "`[]` = no limits");
  static final Key<Integer> MAX_CONNECTIONS_PER_CLIENT = SCHEMA.integer("maxConnectionsPerClient", 64, 0, 1_000_000,
    "concurrent connections one client address may hold (`sc_conn_cur` + `tcp-request connection reject`); more are "
      + "closed at accept, before a byte is read; a trusted proxy is not capped; 0 = no cap");
  static final Key<Integer> TABLE_SIZE = SCHEMA.integer("tableSize", 100_000, 1, 10_000_000, "client addresses "
    + "tracked at most (the stick table's `size`); when full, the oldest entries without an open connection are "
    + "evicted to make room (HAProxy's behaviour), counted in `" + Firewall.EVICTIONS_METRIC + "_total`; only if "
    + "every entry holds a connection is a newcomer served untracked, counted in `" + Firewall.UNTRACKED_METRIC
    + "_total`");
  static final Key<Integer> EXPIRE_MS = SCHEMA.millis("expireMs", 60_000, 1000, 86_400_000,
    "ms after which a client with no open connection and no request is forgotten (`expire`)", "expire");
  static final Key<List<String>> TRUSTED_PROXIES = SCHEMA.key("trustedProxies", Types.listOf(CIDR), List.of(),
    "CIDRs of proxies in front of the balancer (a CDN, a TLS terminator); a request from one of them counts as the "
      + "rightmost `X-Forwarded-For` address that is not itself trusted (nginx's `real_ip_recursive`), and the "
      + "connection cap does not apply to the proxy; empty: the TCP peer is the client, whatever headers it sends");

  private final Settings settings;

  public FirewallOptions(Settings settings) {
    this.settings = settings;
  }

  /** A rate-limit entry, through the rule's schema (unknown keys, types), then the rule's own defaults. */
  private static RateLimit rateLimit(Object raw) {
    if (!(raw instanceof JsonObject json)) {
      throw new IllegalArgumentException("each entry is an object");
    }
    Settings rule = RULE.bind(json, message -> { });
    if (rule.get(PREFIX) == null || rule.get(RULE_RATE) == null) {
      throw new IllegalArgumentException("prefix and rate are required");
    }
    double rate = rule.get(RULE_RATE);
    Integer burst = rule.get(BURST);
    return new RateLimit(rule.get(PREFIX), rule.get(METHODS), rate,
      burst != null ? burst : (int) Math.max(1, Math.ceil(rate)));
  }

  private static String method(String name) {
    String upper = name.strip().toUpperCase(Locale.ROOT);
    if (!upper.matches("[A-Z]{1,20}")) {
      throw new IllegalArgumentException("'" + name + "' is not an HTTP method");
    }
    return upper;
  }

  private static double rate(Number rate) {
    double value = rate.doubleValue();
    if (!(value > 0) || value > 1_000_000) {
      throw new IllegalArgumentException("must be above 0 and at most 1000000, got " + rate);
    }
    return value;
  }

  public JsonObject toJson() {
    return settings.toJson();
  }

  List<Cidr> allow() {
    return cidrs(ALLOW);
  }

  List<Cidr> deny() {
    return cidrs(DENY);
  }

  List<Cidr> trustedProxies() {
    return cidrs(TRUSTED_PROXIES);
  }

  private List<Cidr> cidrs(Key<List<String>> key) {
    return settings.get(key).stream().map(Cidr::parse).toList();
  }

  List<RateLimit> rateLimits() {
    return settings.get(RATE_LIMITS);
  }

  int maxConnectionsPerClient() {
    return settings.get(MAX_CONNECTIONS_PER_CLIENT);
  }

  int tableSize() {
    return settings.get(TABLE_SIZE);
  }

  int expireMs() {
    return settings.get(EXPIRE_MS);
  }
}
