package com.foobar.platform.common;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.micrometer.backends.BackendRegistries;

/** The meter registry a tier records its own metrics in: the one Vert.x scrapes into {@code /metrics}. */
public final class PlatformMetrics {

  private PlatformMetrics() {
  }

  /**
   * The default Vert.x Micrometer registry, or a private one when metrics are off so that code recording
   * metrics never has to check.
   */
  public static MeterRegistry registry() {
    MeterRegistry registry = BackendRegistries.getDefaultNow();
    return registry != null ? registry : new SimpleMeterRegistry();
  }
}
