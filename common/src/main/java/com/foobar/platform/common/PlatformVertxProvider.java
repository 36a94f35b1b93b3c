package com.foobar.platform.common;

import com.foobar.platform.common.logging.RequestContext;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxBootstrap;
import io.vertx.core.spi.VertxServiceProvider;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;

import java.util.EnumSet;

/**
 * The Vert.x options every tier runs with: metrics on (Micrometer, a Prometheus registry, JVM metrics) and a
 * native Netty transport ({@link TransportChoice}).
 *
 * <p>The tiers start through {@code VertxApplication}, which creates Vert.x before any of our code runs and
 * leaves both off unless the operator passes {@code -options} or system properties. Vert.x loads
 * {@link VertxServiceProvider}s while it is built, so this is the one hook where they can still be set.
 * Explicit operator settings win: enabled metrics options are left as they are, and so is Vert.x's own
 * {@code preferNativeTransport}. {@code FOOBAR_METRICS=off} (or {@code -Dfoobar.metrics=off}) leaves metrics
 * off; {@code FOOBAR_TRANSPORT} chooses the transport.
 *
 * <p>A tier's jar can name Vert.x metric domains it records better itself, and its measured best transport, in
 * {@link TierSettings#RESOURCE}.
 */
public final class PlatformVertxProvider implements VertxServiceProvider {

  @Override
  public void init(VertxBootstrap bootstrap) {
    RequestContext.register(); // before the Vert.x instance sizes its contexts' local storage
    VertxOptions options = bootstrap.options();
    TierSettings tier = TierSettings.load();
    TransportChoice.apply(bootstrap, setting("foobar.transport", "FOOBAR_TRANSPORT"), tier.transport());
    if (options.getMetricsOptions() != null && options.getMetricsOptions().isEnabled()) {
      return;
    }
    if ("off".equalsIgnoreCase(setting("foobar.metrics", "FOOBAR_METRICS"))) {
      return;
    }
    options.setMetricsOptions(new MicrometerMetricsOptions()
      .setEnabled(true)
      .setJvmMetricsEnabled(true)
      .setDisabledMetricsCategories(tier.disabledMetricsCategories())
      // Bounded labels only: the local address tells a tier's public and management servers apart, the
      // route is the matched pattern (/api/posts/:id), never the raw path.
      .setLabels(EnumSet.of(Label.HTTP_METHOD, Label.HTTP_CODE, Label.HTTP_ROUTE, Label.LOCAL, Label.POOL_TYPE,
        Label.POOL_NAME))
      .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true)));
    // Micrometer's own provider may come before this one in the service list and was then skipped. The registry
    // is made here so that the platform's filters are in place before Vert.x registers its first meter.
    new MicrometerMetricsFactory(PlatformMetrics.configured(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)))
      .init(bootstrap);
  }

  private static String setting(String property, String variable) {
    return System.getProperty(property, System.getenv(variable));
  }
}
