package com.foobar.platform.common;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Applies environment variables onto a tier's JSON configuration.
 *
 * <p>A variable {@code <PREFIX><PATH>} overrides the key its path names. The path is upper snake case and
 * is matched against the keys already present (defaults and file), ignoring case and underscores, so
 * {@code FOOBAR_APP_PRIMARY_PORT} sets {@code primary.port} and {@code FOOBAR_APP_MAX_BODY_SIZE} sets
 * {@code maxBodySize}; a number selects an array element ({@code FOOBAR_APP_REPLICAS_0_PORT}). A key that
 * does not exist yet is created in camel case at the deepest matching object, so
 * {@code FOOBAR_APP_PRIMARY_PASSWORD} works though the default has no password.
 *
 * <p>Values take the type of the value they replace: numbers, booleans, arrays (JSON, or comma-separated
 * strings) and objects (JSON); a new key takes JSON scalars as typed and anything else as a string.
 */
public final class EnvOverrides {

  private EnvOverrides() {
  }

  /**
   * Returns a copy of {@code config} with every variable of {@code env} that starts with {@code prefix} applied,
   * in name order so the result does not depend on the map's order.
   *
   * @throws IllegalArgumentException when a variable's value does not fit the key it names
   */
  public static JsonObject apply(JsonObject config, Map<String, String> env, String prefix) {
    JsonObject result = config.copy();
    new TreeMap<>(env).forEach((name, value) -> {
      if (name.startsWith(prefix) && name.length() > prefix.length()) {
        List<String> tokens = Arrays.asList(name.substring(prefix.length()).split("_"));
        try {
          set(result, tokens, value);
        } catch (IllegalArgumentException | ClassCastException | DecodeException e) {
          throw new IllegalArgumentException("environment variable " + name + ": " + e.getMessage(), e);
        }
      }
    });
    return result;
  }

  private static void set(JsonObject node, List<String> tokens, String value) {
    for (int used = tokens.size(); used >= 1; used--) {
      String key = findKey(node, String.join("", tokens.subList(0, used)));
      if (key == null) {
        continue;
      }
      List<String> rest = tokens.subList(used, tokens.size());
      Object current = node.getValue(key);
      if (rest.isEmpty()) {
        node.put(key, convert(current, value));
        return;
      }
      if (current instanceof JsonObject) {
        set((JsonObject) current, rest, value);
        return;
      }
      if (current instanceof JsonArray) {
        setInArray((JsonArray) current, rest, value);
        return;
      }
    }
    node.put(camelCase(tokens), convert(null, value));
  }

  private static void setInArray(JsonArray array, List<String> tokens, String value) {
    int index;
    try {
      index = Integer.parseInt(tokens.get(0));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + tokens.get(0) + "' is not an array index");
    }
    if (index < 0 || index >= array.size()) {
      throw new IllegalArgumentException("array index " + index + " is out of range (size " + array.size() + ")");
    }
    List<String> rest = tokens.subList(1, tokens.size());
    Object element = array.getValue(index);
    if (rest.isEmpty()) {
      array.set(index, convert(element, value));
    } else if (element instanceof JsonObject) {
      set((JsonObject) element, rest, value);
    } else {
      throw new IllegalArgumentException("array element " + index + " is not an object");
    }
  }

  private static String findKey(JsonObject node, String normalizedPath) {
    for (String key : node.fieldNames()) {
      if (normalize(key).equals(normalizedPath.toUpperCase(Locale.ROOT))) {
        return key;
      }
    }
    return null;
  }

  private static String normalize(String key) {
    return key.replace("_", "").replace("-", "").toUpperCase(Locale.ROOT);
  }

  private static String camelCase(List<String> tokens) {
    StringBuilder name = new StringBuilder(tokens.get(0).toLowerCase(Locale.ROOT));
    for (String token : tokens.subList(1, tokens.size())) {
      String lower = token.toLowerCase(Locale.ROOT);
      name.append(lower.isEmpty() ? "" : Character.toUpperCase(lower.charAt(0)) + lower.substring(1));
    }
    return name.toString();
  }

  static Object convert(Object current, String value) {
    String trimmed = value.trim();
    if (current instanceof String) {
      return value;
    }
    if (current instanceof Boolean) {
      return parseBoolean(trimmed);
    }
    if (current instanceof Number) {
      return parseNumber(trimmed);
    }
    if (current instanceof JsonArray) {
      return trimmed.startsWith("[") ? new JsonArray(trimmed) : commaList(trimmed);
    }
    if (current instanceof JsonObject) {
      return new JsonObject(trimmed);
    }
    return scalar(value);
  }

  private static Object scalar(String value) {
    String trimmed = value.trim();
    if (trimmed.equals("true") || trimmed.equals("false")) {
      return Boolean.valueOf(trimmed);
    }
    try {
      return parseNumber(trimmed);
    } catch (IllegalArgumentException notANumber) {
      return value;
    }
  }

  private static Boolean parseBoolean(String value) {
    if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
      return Boolean.valueOf(value.toLowerCase(Locale.ROOT));
    }
    throw new IllegalArgumentException("'" + value + "' is not true or false");
  }

  private static Number parseNumber(String value) {
    try {
      return Long.valueOf(value);
    } catch (NumberFormatException notLong) {
      try {
        return Double.valueOf(value);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'" + value + "' is not a number");
      }
    }
  }

  private static JsonArray commaList(String value) {
    JsonArray list = new JsonArray();
    for (String item : value.split(",")) {
      if (!item.isBlank()) {
        list.add(item.trim());
      }
    }
    return list;
  }
}
