package com.foobar.platform.common;

import io.vertx.core.json.JsonObject;

import java.util.Set;

/** Helpers for the options classes of the tiers: strict keys and plain validation. */
public final class Options {

  private Options() {
  }

  /** Rejects keys an options class does not know, so a typo in a config file is an error, not a silent default. */
  public static void requireKnownKeys(JsonObject json, Set<String> known, String what) {
    for (String key : json.fieldNames()) {
      if (!known.contains(key)) {
        throw new IllegalArgumentException(what + ": unknown key '" + key + "' (known: " + known + ")");
      }
    }
  }

  public static int requireRange(String name, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", got " + value);
    }
    return value;
  }

  public static String requireText(String name, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be empty");
    }
    return value;
  }
}
