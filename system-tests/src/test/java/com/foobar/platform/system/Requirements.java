package com.foobar.platform.system;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What a deployment test needs from the machine (network namespaces, keepalived, promtool, ...). On a
 * developer's machine a missing piece skips the test; under {@code ./foobar test} as root — which installs every
 * piece first, as CI does — it fails it, so a test that silently stopped running cannot pass CI
 * ({@code FOOBAR_TESTS_STRICT=1}).
 */
final class Requirements {

  private Requirements() {
  }

  static boolean strict() {
    return "1".equals(System.getenv("FOOBAR_TESTS_STRICT"));
  }

  /** Skips the test when {@code met} is false, or fails it in strict mode. */
  static void need(boolean met, String what) {
    if (strict()) {
      assertTrue(met, what + " (FOOBAR_TESTS_STRICT=1: ./foobar test installs this as root, so its absence is a fault)");
    } else {
      assumeTrue(met, what);
    }
  }
}
