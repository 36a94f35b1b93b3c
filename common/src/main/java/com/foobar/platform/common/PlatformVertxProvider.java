package com.foobar.platform.common;

import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxBootstrap;
import io.vertx.core.spi.VertxServiceProvider;
import io.vertx.core.transport.Transport;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Enumeration;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

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
 * <p>A tier that records some Vert.x metric domain better itself names it in a class-path resource
 * {@value #TIER_METRICS}, key {@code disabledCategories} (comma-separated {@code MetricsDomain} categories
 * such as {@code http.server}: {@code MetricsDomain.toCategory()}).
 */
public final class PlatformVertxProvider implements VertxServiceProvider {

  /** The resource where a tier switches Vert.x metric domains off. */
  public static final String TIER_METRICS = "META-INF/foobar/metrics.properties";
  private static final Logger LOG = LoggerFactory.getLogger(PlatformVertxProvider.class);

  @Override
  public void init(VertxBootstrap bootstrap) {
    VertxOptions options = bootstrap.options();
    TransportChoice.apply(bootstrap, setting("foobar.transport", "FOOBAR_TRANSPORT"));
    if (options.getMetricsOptions() != null && options.getMetricsOptions().isEnabled()) {
      return;
    }
    if ("off".equalsIgnoreCase(setting("foobar.metrics", "FOOBAR_METRICS"))) {
      return;
    }
    options.setMetricsOptions(new MicrometerMetricsOptions()
      .setEnabled(true)
      .setJvmMetricsEnabled(true)
      .setDisabledMetricsCategories(disabledCategories())
      // Bounded labels only: the local address tells a tier's public and management servers apart, the
      // route is the matched pattern (/api/posts/:id), never the raw path.
      .setLabels(EnumSet.of(Label.HTTP_METHOD, Label.HTTP_CODE, Label.HTTP_ROUTE, Label.LOCAL, Label.POOL_TYPE,
        Label.POOL_NAME))
      .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true)));
    // Micrometer's own provider may come before this one in the service list and was then skipped.
    new MicrometerMetricsFactory().init(bootstrap);
  }

  private static String setting(String property, String variable) {
    return System.getProperty(property, System.getenv(variable));
  }

  /** The union of every {@value #TIER_METRICS} on the class path. */
  static Set<String> disabledCategories() {
    Set<String> categories = new TreeSet<>();
    try {
      Enumeration<URL> resources = PlatformVertxProvider.class.getClassLoader().getResources(TIER_METRICS);
      for (URL resource : Collections.list(resources)) {
        Properties properties = new Properties();
        try (InputStream in = resource.openStream()) {
          properties.load(in);
        }
        Arrays.stream(properties.getProperty("disabledCategories", "").split(","))
          .map(String::trim).filter(category -> !category.isEmpty()).forEach(categories::add);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + TIER_METRICS, e);
    }
    if (!categories.isEmpty()) {
      LOG.debug("Vert.x metric domains off in this tier: {}", categories);
    }
    return categories;
  }
}
