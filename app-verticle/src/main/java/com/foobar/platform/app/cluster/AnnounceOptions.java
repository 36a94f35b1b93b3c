package com.foobar.platform.app;

import com.foobar.platform.common.Options;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.HostAndPort;

import java.util.Set;

/**
 * The {@code cluster} key of {@link AppOptions}: how an application server takes part in a cluster when it runs
 * with {@code -cluster}: it announces itself ({@link ServerAnnouncer}) and reads from the database nodes the
 * monitor publishes ({@link DatabaseDirectory}). Ignored without a cluster.
 * {@code {"announce": true, "advertise": "10.0.0.11:8081", "announceInterval": 1000, "discoverReplicas": true}}.
 */
public class AnnounceOptions {

  public static final boolean DEFAULT_ANNOUNCE = true;
  /** Empty: the configured {@code host} and the port actually bound. */
  public static final String DEFAULT_ADVERTISE = "";
  public static final int DEFAULT_ANNOUNCE_INTERVAL_MS = 1000;
  public static final boolean DEFAULT_DISCOVER_REPLICAS = true;

  private static final Set<String> KEYS = Set.of("announce", "advertise", "announceInterval", "discoverReplicas");

  private boolean announce = DEFAULT_ANNOUNCE;
  private String advertise = DEFAULT_ADVERTISE;
  private int announceInterval = DEFAULT_ANNOUNCE_INTERVAL_MS;
  private boolean discoverReplicas = DEFAULT_DISCOVER_REPLICAS;

  public AnnounceOptions() {
  }

  public AnnounceOptions(JsonObject json) {
    Options.requireKnownKeys(json, KEYS, "app cluster options");
    setAnnounce(json.getBoolean("announce", announce));
    setAdvertise(json.getString("advertise", advertise));
    setAnnounceInterval(json.getInteger("announceInterval", announceInterval));
    setDiscoverReplicas(json.getBoolean("discoverReplicas", discoverReplicas));
  }

  public JsonObject toJson() {
    return new JsonObject().put("announce", announce).put("advertise", advertise)
      .put("announceInterval", announceInterval).put("discoverReplicas", discoverReplicas);
  }

  public boolean isDiscoverReplicas() {
    return discoverReplicas;
  }

  /** Whether database nodes the monitor publishes in the cluster, but the configuration does not name, join. */
  public AnnounceOptions setDiscoverReplicas(boolean discoverReplicas) {
    this.discoverReplicas = discoverReplicas;
    return this;
  }

  public boolean isAnnounce() {
    return announce;
  }

  public AnnounceOptions setAnnounce(boolean announce) {
    this.announce = announce;
    return this;
  }

  public String getAdvertise() {
    return advertise;
  }

  /**
   * The {@code host:port} balancers should use to reach this server; needed when it listens on {@code 0.0.0.0}
   * or behind NAT/container networking, where the bound address is not the reachable one.
   */
  public AnnounceOptions setAdvertise(String advertise) {
    String value = advertise == null ? "" : advertise.trim();
    if (!value.isEmpty()) {
      HostAndPort parsed = HostAndPort.parseAuthority(value, -1);
      if (parsed == null || parsed.port() <= 0 || parsed.port() > 65535) {
        throw new IllegalArgumentException("cluster.advertise '" + advertise + "' is not host:port");
      }
    }
    this.advertise = value;
    return this;
  }

  public int getAnnounceInterval() {
    return announceInterval;
  }

  /** ms between refreshes; an entry lives three intervals (at least 2 s), so a dead server is forgotten within that. */
  public AnnounceOptions setAnnounceInterval(int announceInterval) {
    this.announceInterval = Options.requireRange("cluster.announceInterval", announceInterval, 100, 60_000);
    return this;
  }
}
