package com.foobar.platform.common;

import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxBootstrap;
import io.vertx.core.spi.VertxServiceProvider;

import java.util.EnumSet;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;

/**
 * Turns Vert.x metrics on, with a Prometheus registry and JVM metrics, for every Vert.x instance of a tier.
 *
 * <p>The tiers start through {@code VertxApplication}, which creates Vert.x before any of our code runs and
 * leaves metrics off unless the operator passes {@code -options} or system properties. Vert.x loads
 * {@link VertxServiceProvider}s while it is built, so this is the one hook where metrics can still be
 * enabled. Explicit operator settings win: when the metrics options are already enabled, nothing changes.
 * Setting {@code FOOBAR_METRICS=off} (or {@code -Dfoobar.metrics=off}) leaves metrics off.
 */
public final class PlatformMetricsProvider implements VertxServiceProvider {

  @Override
  public void init(VertxBootstrap bootstrap) {
    VertxOptions options = bootstrap.options();
    if (options.getMetricsOptions() != null && options.getMetricsOptions().isEnabled()) {
      return;
    }
    if ("off".equalsIgnoreCase(System.getProperty("foobar.metrics", System.getenv("FOOBAR_METRICS")))) {
      return;
    }
    options.setMetricsOptions(new MicrometerMetricsOptions()
      .setEnabled(true)
      .setJvmMetricsEnabled(true)
      // Bounded labels only: the local address tells a tier's public and management servers apart, the
      // route is the matched pattern (/api/posts/:id), never the raw path.
      .setLabels(EnumSet.of(Label.HTTP_METHOD, Label.HTTP_CODE, Label.HTTP_ROUTE, Label.LOCAL, Label.POOL_TYPE,
        Label.POOL_NAME))
      .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true)));
    // Micrometer's own provider may come before this one in the service list and was then skipped.
    new MicrometerMetricsFactory().init(bootstrap);
  }
}
