package com.foobar.platform.monitor.probe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The series of what the probes found. Labels are component names from the configuration only, so the series count
 * is fixed. Prometheus naming adds {@code _seconds} to timers and {@code _total} to counters:
 * <ul>
 *   <li>{@code foobar_component_up{component,kind}}: 1 up, 0 down;</li>
 *   <li>{@code foobar_replication_lag_seconds{replica}}: Seconds_Behind_Master. The series is <em>removed</em>
 *       while the lag is NULL or the replica cannot be asked, so {@code absent()} alerts fire exactly when
 *       replication is broken (a NaN would keep the series present);</li>
 *   <li>{@code foobar_replication_threads_running{replica,thread="io"|"sql"}}: 1 running, 0 not running or
 *       unknown (replica unreachable);</li>
 *   <li>{@code foobar_database_writable{node,role}}: 1 when the node has read_only=0, 0 when read-only; kept at
 *       its last value while the node cannot be asked;</li>
 *   <li>{@code foobar_probe_duration_seconds{component}}: time of each probe, labelled with the probe's first
 *       component (the replica node for a replica probe);</li>
 *   <li>{@code foobar_probe_failures_total{component}}: probes that found the component down;</li>
 *   <li>{@code foobar_synthetic_step_duration_seconds{step="write"|"read"|"delete"}}: each successful step of
 *       the synthetic end-to-end probe through the balancer.</li>
 * </ul>
 * All meters are removed again on {@link #close()}, since the registry outlives a redeployed verticle.
 */
public final class ProbeMetrics {

  private static final Duration[] DURATION_BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10),
    Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
    Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5)};

  private final MeterRegistry registry;
  private final List<Meter> meters = new ArrayList<>();
  private final Map<String, AtomicLong> gauges = new HashMap<>();
  private final Map<String, Counter> failures = new HashMap<>();
  private final Map<String, Timer> durations = new HashMap<>();
  private final Map<String, AtomicLong> lag = new HashMap<>();
  private final Map<String, Gauge> lagGauges = new HashMap<>();
  private final Map<String, Timer> steps = new HashMap<>();

  public ProbeMetrics(MeterRegistry registry, List<Component> components) {
    this.registry = registry;
    for (Component component : components) {
      failures.put(component.name(), add(Counter.builder("foobar_probe_failures")
        .description("Probes that found the component down").tag("component", component.name())
        .register(registry)));
    }
  }

  /**
   * The value behind a gauge, registered on first use: a component's gauges appear with its first observation,
   * so nothing reads "down" before the monitor has looked.
   */
  private AtomicLong gauge(String name, String description, Tags tags) {
    return gauges.computeIfAbsent(name + tags, key -> {
      AtomicLong value = new AtomicLong();
      // A strong reference: Micrometer holds gauge objects weakly by default and would then report NaN.
      add(Gauge.builder(name, value, AtomicLong::get).description(description).tags(tags).strongReference(true)
        .register(registry));
      return value;
    });
  }

  private <M extends Meter> M add(M meter) {
    meters.add(meter);
    return meter;
  }

  /** Records what one probe found about one component. */
  void record(Component component, Observation observation) {
    gauge("foobar_component_up", "1 when the monitor finds the component up, 0 when down",
      Tags.of("component", component.name(), "kind", component.kind())).set(observation.up() ? 1 : 0);
    if (!observation.up()) {
      failures.get(component.name()).increment();
    }
    if (component.isDatabase() && observation.detail() != null
      && observation.detail().getBoolean("readOnly") != null) {
      gauge("foobar_database_writable", "1 when the node has read_only=0 (accepts writes), 0 when read-only",
        Tags.of("node", component.name(), "role", component.role()))
        .set(observation.detail().getBoolean("readOnly") ? 0 : 1);
    }
    if (component.isReplication()) {
      threads(component.node(), "io").set(observation.threadRunning("ioThread") ? 1 : 0);
      threads(component.node(), "sql").set(observation.threadRunning("sqlThread") ? 1 : 0);
      recordLag(component, observation.lagSeconds());
    }
  }

  private AtomicLong threads(String replica, String thread) {
    return gauge("foobar_replication_threads_running",
      "1 when the replication thread runs on the replica, 0 when not or unknown",
      Tags.of("replica", replica, "thread", thread));
  }

  private void recordLag(Component component, Long seconds) {
    Gauge gauge = lagGauges.get(component.name());
    if (seconds == null) {
      if (gauge != null) {
        registry.remove(gauge);
        meters.remove(gauge);
        lagGauges.remove(component.name());
      }
      return;
    }
    AtomicLong value = lag.computeIfAbsent(component.name(), name -> new AtomicLong());
    value.set(seconds);
    if (gauge == null) {
      lagGauges.put(component.name(), add(Gauge.builder("foobar_replication_lag_seconds", value, AtomicLong::get)
        .description("Seconds_Behind_Master of the replica; absent while it is NULL or unknown")
        .tag("replica", component.node()).strongReference(true).register(registry)));
    }
  }

  /** Records how long the probe that reports first on {@code component} took. */
  void recordDuration(Component component, long nanos) {
    durations.computeIfAbsent(component.name(), name -> add(Timer.builder("foobar_probe_duration")
      .description("Time a probe took, until answer, failure or timeout").tag("component", name)
      .serviceLevelObjectives(DURATION_BUCKETS).register(registry))).record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Records one successful step of the synthetic probe. */
  void recordSyntheticStep(String step, long nanos) {
    steps.computeIfAbsent(step, name -> add(Timer.builder("foobar_synthetic_step_duration")
      .description("Time of each step of the synthetic end-to-end probe through the balancer").tag("step", name)
      .serviceLevelObjectives(DURATION_BUCKETS).register(registry))).record(nanos, TimeUnit.NANOSECONDS);
  }

  public void close() {
    meters.forEach(registry::remove);
    meters.clear();
    gauges.clear();
    lagGauges.clear();
    steps.clear();
    durations.clear();
  }
}
