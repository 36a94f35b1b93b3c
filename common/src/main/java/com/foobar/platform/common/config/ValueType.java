package com.foobar.platform.common.config;

/**
 * How one kind of configuration value is read from JSON, written back and described to people. A reader
 * that finds a bad value reports it to {@link Problems} (naming the key's path and what was expected) and
 * returns null, so one check can list every problem of a file, as {@code haproxy -c} does.
 *
 * @param <T> the Java type of the value
 */
public interface ValueType<T> {

  /** The value of {@code raw} (a JSON value, never null), or null after reporting why it does not fit. */
  T read(Object raw, String path, Problems problems);

  /** The JSON form of a value this type read (a String, Number, Boolean, JsonObject or JsonArray). */
  Object write(T value);

  /** What a valid value looks like, for error messages and the README: {@code an integer from 1 to 100}. */
  String describe();

  /** The unit the value is in ({@code ms}, {@code s}, {@code bytes}), or an empty string. */
  default String unit() {
    return "";
  }
}
