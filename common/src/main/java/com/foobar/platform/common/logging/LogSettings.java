package com.foobar.platform.common.logging;

import java.util.Locale;
import java.util.function.Function;

/**
 * How a tier logs, from its environment (the launcher and Compose set these):
 * <ul>
 *   <li>{@code FOOBAR_LOG_LEVEL}: root level, default {@code INFO};</li>
 *   <li>{@code FOOBAR_LOG_FORMAT}: {@code text} (default) or {@code json} (JSON lines);</li>
 *   <li>{@code FOOBAR_LOG_DIR}: write {@code <name>.log} (and the balancer's {@code <name>-access.log}) there,
 *   rotated by size; unset: standard output (containers);</li>
 *   <li>{@code FOOBAR_LOG_NAME}: the file's base name, default {@code foobar};</li>
 *   <li>{@code FOOBAR_LOG_MAX_FILE_SIZE_MB} (default 50) and {@code FOOBAR_LOG_MAX_FILES} (rotated files kept,
 *   gzipped, default 5).</li>
 * </ul>
 */
record LogSettings(String level, boolean json, String dir, String name, int maxFileSizeMb, int maxFiles) {

  static LogSettings from(Function<String, String> environment) {
    String format = value(environment, "FOOBAR_LOG_FORMAT", "text").toLowerCase(Locale.ROOT);
    return new LogSettings(value(environment, "FOOBAR_LOG_LEVEL", "INFO"), format.equals("json"),
      value(environment, "FOOBAR_LOG_DIR", ""), value(environment, "FOOBAR_LOG_NAME", "foobar"),
      number(environment, "FOOBAR_LOG_MAX_FILE_SIZE_MB", 50, 1, 10_000),
      number(environment, "FOOBAR_LOG_MAX_FILES", 5, 1, 20));
  }

  boolean toFiles() {
    return !dir.isEmpty();
  }

  private static String value(Function<String, String> environment, String name, String fallback) {
    String value = environment.apply(name);
    return value == null || value.isBlank() ? fallback : value.trim();
  }

  /** A bad number keeps the default: a typo in a log setting must not stop a tier. */
  private static int number(Function<String, String> environment, String name, int fallback, int min, int max) {
    try {
      int value = Integer.parseInt(value(environment, name, String.valueOf(fallback)));
      return value < min || value > max ? fallback : value;
    } catch (NumberFormatException e) {
      return fallback;
    }
  }
}
