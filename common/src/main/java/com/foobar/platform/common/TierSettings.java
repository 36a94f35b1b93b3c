package com.foobar.platform.common;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a tier's jar tells the shared Vert.x set-up ({@link PlatformVertxProvider}), in class-path resources
 * {@value #RESOURCE}: {@code metrics.disabledCategories} (comma-separated {@code MetricsDomain} categories such
 * as {@code http.server}, the Vert.x metric domains the tier records better itself) and {@code transport} (the
 * tier's measured best transport when {@code FOOBAR_TRANSPORT} is {@code auto}). A class path with several tiers
 * (a test JVM) gets the union of the categories, and a transport only when they all name the same one.
 */
final class TierSettings {

  static final String RESOURCE = "META-INF/foobar/tier.properties";

  private final List<Properties> files;

  private TierSettings(List<Properties> files) {
    this.files = files;
  }

  static TierSettings load() {
    List<Properties> files = new ArrayList<>();
    try {
      for (URL resource : Collections.list(TierSettings.class.getClassLoader().getResources(RESOURCE))) {
        Properties properties = new Properties();
        try (InputStream in = resource.openStream()) {
          properties.load(in);
        }
        files.add(properties);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
    return new TierSettings(files);
  }

  Set<String> disabledMetricsCategories() {
    Set<String> categories = new TreeSet<>();
    for (Properties file : files) {
      Arrays.stream(file.getProperty("metrics.disabledCategories", "").split(","))
        .map(String::trim).filter(category -> !category.isEmpty()).forEach(categories::add);
    }
    return categories;
  }

  /** The transport the tier prefers, or null when none or several different ones are named. */
  String transport() {
    Set<String> named = new TreeSet<>();
    files.forEach(file -> {
      String transport = file.getProperty("transport", "").trim();
      if (!transport.isEmpty()) {
        named.add(transport);
      }
    });
    return named.size() == 1 ? named.iterator().next() : null;
  }
}
