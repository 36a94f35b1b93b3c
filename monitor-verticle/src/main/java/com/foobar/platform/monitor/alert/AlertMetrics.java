package com.foobar.platform.monitor.alert;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The alerting series (Prometheus adds {@code _total} to counters): {@code foobar_alerts_firing{alertname}},
 * alerts of each of the monitor's rules firing now (the rules are fixed, so the label set is bounded), and
 * {@code foobar_alert_notifications_total{outcome="sent"|"failed"}}, webhook deliveries. Removed on
 * {@link #close()}, since the registry outlives a redeployed verticle.
 */
final class AlertMetrics {

  private final MeterRegistry registry;
  private final List<Meter> meters = new ArrayList<>();
  private final Map<String, AtomicLong> firing = new HashMap<>();
  private final Map<String, Counter> notifications = new HashMap<>();

  AlertMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Sets how many alerts of the rule fire now; its series appears with the first evaluation. */
  void recordFiring(String alertname, int count) {
    firing.computeIfAbsent(alertname, name -> {
      AtomicLong value = new AtomicLong();
      // A strong reference: Micrometer holds gauge objects weakly by default and would then report NaN.
      meters.add(Gauge.builder("foobar_alerts_firing", value, AtomicLong::get)
        .description("Alerts of this rule firing in the monitor now").tag("alertname", name).strongReference(true)
        .register(registry));
      return value;
    }).set(count);
  }

  /** Counts one webhook delivery attempt by outcome. */
  void recordNotification(boolean sent) {
    notifications.computeIfAbsent(sent ? "sent" : "failed", outcome -> {
      Counter counter = Counter.builder("foobar_alert_notifications")
        .description("Alert notification batches posted to webhooks, by outcome").tag("outcome", outcome)
        .register(registry);
      meters.add(counter);
      return counter;
    }).increment();
  }

  void close() {
    meters.forEach(registry::remove);
    meters.clear();
    firing.clear();
    notifications.clear();
  }
}
