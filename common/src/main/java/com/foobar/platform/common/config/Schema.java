package com.foobar.platform.common.config;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The declared keys of one options object (a tier's top level, or a nested group such as {@code tls}), in
 * the order people read them. {@link #bind} turns JSON into {@link Settings} strictly: an unknown key at any
 * depth, a wrong type or a value out of range is an error naming the key's path and what was expected; a
 * former name of a key is accepted with a warning. Durations carry their unit in their name, enforced here.
 */
public final class Schema {

  private final String what;
  private final List<Key<?>> keys = new ArrayList<>();
  private final Map<String, Key<?>> byName = new HashMap<>();
  private Settings defaults;

  /** @param what how messages name this object, e.g. {@code "balancer options"} */
  public Schema(String what) {
    this.what = what;
  }

  public String what() {
    return what;
  }

  public List<Key<?>> keys() {
    return List.copyOf(keys);
  }

  boolean declares(Key<?> key) {
    return byName.get(key.name()) == key;
  }

  // ------------------------------------------------------------------ declarations

  public <T> Key<T> key(String name, ValueType<T> type, T defaultValue, String doc, String... formerNames) {
    Key<T> key = new Key<>(name, type, defaultValue, doc, Arrays.asList(formerNames));
    for (String known : names(key)) {
      if (byName.putIfAbsent(known, key) != null) {
        throw new IllegalStateException(what + ": key " + known + " is declared twice");
      }
    }
    keys.add(key);
    defaults = null;
    return key;
  }

  public Key<String> text(String name, String defaultValue, String doc, String... formerNames) {
    return key(name, Types.text(), defaultValue, doc, formerNames);
  }

  public Key<Boolean> flag(String name, boolean defaultValue, String doc, String... formerNames) {
    return key(name, Types.bool(), defaultValue, doc, formerNames);
  }

  public Key<Integer> integer(String name, int defaultValue, int min, int max, String doc, String... formerNames) {
    return key(name, Types.integer(min, max, ""), defaultValue, doc, formerNames);
  }

  public Key<Integer> port(String name, int defaultValue, String doc, String... formerNames) {
    return key(name, Types.integer(0, 65535, ""), defaultValue, doc, formerNames);
  }

  public Key<Integer> bytes(String name, int defaultValue, int min, int max, String doc, String... formerNames) {
    return key(name, Types.integer(min, max, "bytes"), defaultValue, doc, formerNames);
  }

  /** A duration in milliseconds: its name ends in {@code Ms}, so nobody has to guess the unit. */
  public Key<Integer> millis(String name, int defaultValue, int min, int max, String doc, String... formerNames) {
    return key(unitName(name, "Ms"), Types.integer(min, max, "ms"), defaultValue, doc, formerNames);
  }

  /** A duration in seconds: its name ends in {@code Seconds}. */
  public Key<Integer> seconds(String name, int defaultValue, int min, int max, String doc, String... formerNames) {
    return key(unitName(name, "Seconds"), Types.integer(min, max, "s"), defaultValue, doc, formerNames);
  }

  public Key<String> oneOf(String name, String defaultValue, List<String> allowed, String doc, String... formerNames) {
    return key(name, Types.oneOf(allowed), defaultValue, doc, formerNames);
  }

  /** A nested object with keys of its own ({@code "tls": {...}}); absent means all its defaults. */
  public Key<Settings> group(String name, Schema nested, String doc, String... formerNames) {
    return key(name, new GroupType(nested), nested.defaults(), doc, formerNames);
  }

  /**
   * A nested object that is one of Vert.x's own options classes ({@code HttpServerOptions},
   * {@code MySQLConnectOptions}, ...): the keys the class writes in its {@code toJson()} (of
   * {@code reference}) plus {@code extraKeys} are known, each with the type of its reference value; the result is
   * {@code defaults} with the given keys merged in, ready for the class's JSON constructor.
   */
  public Key<JsonObject> vertx(String name, JsonObject reference, JsonObject defaults, String doc,
                               List<String> extraKeys, String... formerNames) {
    return key(name, Types.vertxOptions(reference, defaults, extraKeys), defaults, doc, formerNames);
  }

  private static String unitName(String name, String unit) {
    if (!name.endsWith(unit)) {
      throw new IllegalStateException("key " + name + " holds a duration: its name must end in " + unit);
    }
    return name;
  }

  private static List<String> names(Key<?> key) {
    List<String> all = new ArrayList<>(key.formerNames());
    all.add(0, key.name());
    return all;
  }

  // ------------------------------------------------------------------ binding

  /** Settings of {@code json}; fails with every problem found, logging warnings on {@code warnings}. */
  public Settings bind(JsonObject json, java.util.function.Consumer<String> warnings) {
    Problems problems = new Problems();
    Settings settings = bind(json, "", problems);
    problems.throwIfErrors(what, warnings);
    return settings;
  }

  /** Binds {@code json} found at {@code path}, recording problems instead of failing. */
  public Settings bind(JsonObject json, String path, Problems problems) {
    Map<Key<?>, Object> given = given(json == null ? new JsonObject() : json, path, problems);
    Map<Key<?>, Object> values = new LinkedHashMap<>();
    for (Key<?> key : keys) {
      Object raw = given.get(key);
      Object value = raw == null ? key.defaultValue() : key.type().read(raw, Problems.child(path, key.name()), problems);
      if (value != null) {
        values.put(key, value);
      }
    }
    return new Settings(this, values);
  }

  /** The given value of each key, found under its name or a former one; unknown names are problems. */
  private Map<Key<?>, Object> given(JsonObject json, String path, Problems problems) {
    Map<Key<?>, Object> given = new HashMap<>();
    for (String field : json.fieldNames()) {
      Key<?> key = byName.get(field);
      Object raw = json.getValue(field);
      if (key == null) {
        problems.error(Problems.child(path, field), "unknown key" + Suggestions.didYouMean(field, keyNames())
          + " (known: " + String.join(", ", keyNames()) + ")");
      } else if (raw != null && given.put(key, raw) != null) {
        problems.error(Problems.child(path, key.name()), "given twice, also as " + field + "; keep only " + key.name());
      } else if (!field.equals(key.name())) {
        problems.warn(Problems.child(path, field) + " is a former name: write " + key.name());
      }
    }
    return given;
  }

  private List<String> keyNames() {
    return keys.stream().map(Key::name).toList();
  }

  /**
   * {@code json} with former key names replaced by current ones, at every depth. In a file both names at once
   * are an error; {@code overriding} (after environment variables were applied onto a file merged with the
   * defaults) lets a former name given by a variable replace the current key's value. Each use is a warning.
   */
  public JsonObject renameFormer(JsonObject json, String path, Problems problems, boolean overriding) {
    JsonObject result = json.copy();
    for (String field : json.fieldNames()) {
      Key<?> key = byName.get(field);
      if (key == null) {
        continue;
      }
      Object value = result.getValue(field);
      if (!field.equals(key.name())) {
        result.remove(field);
        if (result.containsKey(key.name()) && !overriding) {
          problems.error(Problems.child(path, key.name()), "given twice, also as " + field + "; keep only " + key.name());
        }
        problems.warn(Problems.child(path, field) + " is a former name: write " + key.name());
        result.put(key.name(), value);
      }
      if (key.type() instanceof GroupType group && value instanceof JsonObject nested) {
        result.put(key.name(), group.nested().renameFormer(nested, Problems.child(path, key.name()), problems, overriding));
      }
    }
    return result;
  }

  /** The settings when nothing is given. */
  public Settings defaults() {
    if (defaults == null) {
      Problems problems = new Problems();
      defaults = bind(new JsonObject(), "", problems);
      if (problems.hasErrors()) {
        throw new IllegalStateException(what + ": invalid defaults: " + problems.errors());
      }
    }
    return defaults;
  }
}
