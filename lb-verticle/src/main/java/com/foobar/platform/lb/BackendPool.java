package com.foobar.platform.lb;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.net.HostAndPort;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/** The backends and the round robin over those that are up. */
final class BackendPool {

  private final List<Backend> backends = new ArrayList<>();
  private final AtomicInteger next = new AtomicInteger();

  BackendPool(List<HostAndPort> addresses, int rise, int fall, MeterRegistry registry) {
    for (HostAndPort address : addresses) {
      Backend backend = new Backend(address, rise, fall);
      backends.add(backend);
      Gauge.builder("foobar_lb_backend_up", backend, b -> b.isUp() ? 1 : 0)
        .description("1 when the backend gets traffic, 0 when health checks took it out")
        .tag("backend", backend.name())
        .register(registry);
    }
  }

  List<Backend> all() {
    return backends;
  }

  /**
   * The next backend in round robin order that is up and not in {@code exclude}, or null when there is none.
   * floorMod keeps the rotation right when the counter wraps past Integer.MAX_VALUE.
   */
  Backend next(Set<Backend> exclude) {
    int start = next.getAndIncrement();
    for (int i = 0; i < backends.size(); i++) {
      Backend candidate = backends.get(Math.floorMod(start + i, backends.size()));
      if (candidate.isUp() && !exclude.contains(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  boolean anyUp() {
    return backends.stream().anyMatch(Backend::isUp);
  }
}
