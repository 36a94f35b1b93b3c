package com.foobar.platform.app.cluster;

import com.foobar.platform.common.config.Key;
import com.foobar.platform.common.config.Schema;
import com.foobar.platform.common.config.Settings;
import com.foobar.platform.common.config.Types;
import io.vertx.core.net.HostAndPort;

/**
 * The {@code cluster} key of the app's options: how an application server takes part in a cluster when it runs
 * with {@code -cluster}: it announces itself ({@link ServerAnnouncer}) and reads from the database nodes the
 * monitor publishes ({@code DatabaseDirectory}). Ignored without a cluster.
 *
 * @param advertise Empty: the configured {@code host} and the port actually bound.
 */
public record AnnounceOptions(boolean announce, String advertise, int announceIntervalMs, boolean discoverReplicas) {

  public static final Schema SCHEMA = new Schema("app cluster options");
  static final Key<Boolean> ANNOUNCE = SCHEMA.flag("announce", true, "announce this server to the balancers");
  static final Key<String> ADVERTISE = SCHEMA.key("advertise", Types.parsed("empty or host:port",
      AnnounceOptions::advertised, value -> value),
    "", "the `host:port` balancers use to reach this server; empty: `host` and the port bound (required when `host` "
      + "is `0.0.0.0` or behind NAT/container networking, where the bound address is not the reachable one)");
  static final Key<Integer> ANNOUNCE_INTERVAL = SCHEMA.millis("announceIntervalMs", 1000, 100, 60_000,
    "between refreshes of the announcement; an entry lives three intervals (at least 2 s), so a dead server is "
      + "forgotten within that", "announceInterval");
  static final Key<Boolean> DISCOVER_REPLICAS = SCHEMA.flag("discoverReplicas", true,
    "add the database nodes the monitor publishes in the cluster that the configuration does not name");

  public AnnounceOptions(Settings settings) {
    this(settings.get(ANNOUNCE), settings.get(ADVERTISE), settings.get(ANNOUNCE_INTERVAL),
      settings.get(DISCOVER_REPLICAS));
  }

  /** The one parser of {@code advertise}: empty, or a host and a port from 1 to 65535. */
  static String advertised(Object raw) {
    if (!(raw instanceof String text)) {
      throw new IllegalArgumentException("got " + raw);
    }
    String value = text.strip();
    if (value.isEmpty()) {
      return value;
    }
    HostAndPort parsed = HostAndPort.parseAuthority(value, -1);
    if (parsed == null || parsed.port() <= 0 || parsed.port() > 65535) {
      throw new IllegalArgumentException("'" + raw + "' is not host:port");
    }
    return value;
  }
}
