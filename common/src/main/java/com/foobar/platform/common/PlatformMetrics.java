package com.foobar.platform.common;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.DiskSpaceMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.micrometer.backends.BackendRegistries;

import java.io.File;
import java.time.Duration;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;

/** The meter registry a tier records its own metrics in: the one Vert.x scrapes into {@code /metrics}. */
public final class PlatformMetrics {

  /** The balancer's response-time buckets (LbMetrics), so a tier's p95 compares with the balancer's. */
  private static final double[] LATENCY_BUCKETS_NANOS = java.util.stream.LongStream.of(1, 5, 10, 25, 50, 100, 250,
    500, 1000, 2500, 5000, 10000).mapToDouble(ms -> Duration.ofMillis(ms).toNanos()).toArray();
  private static final Set<MeterRegistry> CONFIGURED = Collections.synchronizedSet(
    Collections.newSetFromMap(new WeakHashMap<>()));

  /**
   * Vert.x times its HTTP server's responses without buckets: a dashboard could show the mean but no p95.
   * Buckets for that one timer only (every other Vert.x timer keeps its count, sum and max).
   */
  private static final MeterFilter HTTP_SERVER_BUCKETS = new MeterFilter() {
    @Override
    public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
      if (!"vertx.http.server.response.time".equals(id.getName())) {
        return config;
      }
      return DistributionStatisticConfig.builder().serviceLevelObjectives(LATENCY_BUCKETS_NANOS).build().merge(config);
    }
  };

  /**
   * Vert.x 5.0 registers some gauges once per server or client instance under the same id
   * (vert-x3/vertx-micrometer-metrics#259): its HTTP servers' and clients' "active" gauges (connections,
   * requests, WebSockets) and its HTTP client pools' gauges, named by the address they connect to. Micrometer
   * warns at every start and keeps only the first instance's gauge, so with two event loops on one port, or a
   * second client to one address, the series undercounts. Left out rather than wrong: the balancer counts its
   * connections itself ({@code foobar_lb_frontend_current_sessions}), and nothing reads these. The SQL pools'
   * gauges stay: each pool has a name of its own.
   */
  static final MeterFilter PER_INSTANCE_GAUGES = MeterFilter.deny(id -> id.getType() == Meter.Type.GAUGE
    && (id.getName().startsWith("vertx.http.") && id.getName().contains(".active.")
    || id.getName().startsWith("vertx.pool.") && "http".equals(id.getTag("pool_type"))));

  private PlatformMetrics() {
  }

  /**
   * The default Vert.x Micrometer registry, or a private one when metrics are off so that code recording
   * metrics never has to check. A tier asks for it as it starts, before its servers record anything, which is
   * when the bucket filter above must be in place.
   */
  public static MeterRegistry registry() {
    MeterRegistry registry = BackendRegistries.getDefaultNow();
    if (registry == null) {
      return new SimpleMeterRegistry();
    }
    return configured(registry);
  }

  /**
   * The platform's filters and meters on {@code registry}, once. Called on the registry the Vert.x service
   * provider makes before Vert.x registers its first meter (filters added later miss those meters, and Micrometer
   * warns), and again, harmlessly, by {@link #registry()}.
   */
  static MeterRegistry configured(MeterRegistry registry) {
    if (CONFIGURED.add(registry)) {
      registry.config().meterFilter(PER_INSTANCE_GAUGES).meterFilter(HTTP_SERVER_BUCKETS);
      // disk_free_bytes / disk_total_bytes{path}: the database data, binary logs and logs live under the state
      // directory (the launcher passes it), and a full disk stops MariaDB writing.
      new DiskSpaceMetrics(new File(System.getenv().getOrDefault("FOOBAR_STATE", "."))).bindTo(registry);
    }
    return registry;
  }
}
