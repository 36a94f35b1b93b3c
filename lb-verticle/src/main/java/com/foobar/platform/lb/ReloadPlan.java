package com.foobar.platform.lb;

import com.foobar.platform.common.config.Key;
import com.foobar.platform.lb.edge.TlsOptions;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import static com.foobar.platform.lb.LoadBalancerOptions.*;

/**
 * What a configuration reload does with a new, valid configuration: the keys it applies to the running balancer
 * ({@link #LIVE}, declared here by their keys: the backend list, checks, limits, retries, the firewall, and the
 * TLS certificate files while TLS is on) take their new value; every other changed key keeps its running value and
 * is reported as needing a restart, so what the balancer reports is what it does.
 *
 * @param effective    the configuration to run with now
 * @param applied      the changed keys that take effect now
 * @param needsRestart the changed keys that take effect only at a restart
 */
public record ReloadPlan(LoadBalancerOptions effective, List<String> applied, List<String> needsRestart) {

  /** The keys a reload applies; every other key needs a restart. */
  static final Set<Key<?>> LIVE = Set.of(BACKENDS, HEALTH_CHECK_METHOD, HEALTH_CHECK_PATH, HEALTH_CHECK_HOST,
    HEALTH_CHECK_EXPECTED_STATUS, HEALTH_CHECK_INTERVAL_MS, HEALTH_CHECK_TIMEOUT_MS, RISE, FALL, ERROR_LIMIT,
    SLOW_START_MS, CONNECT_TIMEOUT_MS, QUEUE_TIMEOUT_MS, SHUTDOWN_TIMEOUT_MS, MAX_BODY_SIZE, RETRIES,
    RETRY_AFTER_SECONDS, KEEP_ALIVE_TIMEOUT_SECONDS, FIREWALL);

  /** The plan for going from {@code running} to {@code next}. */
  public static ReloadPlan of(LoadBalancerOptions running, LoadBalancerOptions next) {
    JsonObject before = running.toJson();
    JsonObject wanted = next.toJson();
    JsonObject effective = wanted.copy();
    List<String> applied = new ArrayList<>();
    List<String> needsRestart = new ArrayList<>();
    for (Key<?> key : SCHEMA.keys()) {
      String name = key.name();
      Object old = before.getValue(name);
      if (Objects.equals(old, wanted.getValue(name))) {
        continue;
      }
      if (key == TLS) {
        splitTls(before.getJsonObject(name), wanted.getJsonObject(name), effective.getJsonObject(name), applied,
          needsRestart, running.tls().enabled() && next.tls().enabled());
      } else if (LIVE.contains(key)) {
        applied.add(name);
      } else {
        needsRestart.add(name);
        effective.put(name, old);
      }
    }
    return new ReloadPlan(new LoadBalancerOptions(SCHEMA.bind(effective, warning -> { })), applied, needsRestart);
  }

  /** Of {@code tls}, only the certificate files change live, and only while TLS stays on. */
  private static void splitTls(JsonObject before, JsonObject wanted, JsonObject effective, List<String> applied,
                               List<String> needsRestart, boolean stayingOn) {
    Set<String> live = TlsOptions.liveKeys();
    for (String key : wanted.fieldNames()) {
      if (Objects.equals(before.getValue(key), wanted.getValue(key))) {
        continue;
      }
      if (stayingOn && live.contains(key)) {
        applied.add(TLS.name() + "." + key);
      } else {
        needsRestart.add(TLS.name() + "." + key);
        effective.put(key, before.getValue(key));
      }
    }
  }

  /** Whether the reload installs other certificate files. */
  public boolean certificatesChanged() {
    return applied.stream().anyMatch(key -> key.startsWith(TLS.name() + "."));
  }
}
