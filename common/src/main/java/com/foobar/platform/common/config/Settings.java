package com.foobar.platform.common.config;

import io.vertx.core.json.JsonObject;

import java.util.Map;

/** The values of one {@link Schema}, all valid: what an options class reads its getters from. */
public final class Settings {

  private final Schema schema;
  private final Map<Key<?>, Object> values;

  Settings(Schema schema, Map<Key<?>, Object> values) {
    this.schema = schema;
    this.values = Map.copyOf(values); // no nulls: an optional key not given is simply absent
  }

  /** The key's value: given, or its default; null only for an optional key that was not given. */
  @SuppressWarnings("unchecked")
  public <T> T get(Key<T> key) {
    if (!schema.declares(key)) {
      throw new IllegalArgumentException(key + " is not a key of " + schema.what());
    }
    return (T) values.get(key);
  }

  public Schema schema() {
    return schema;
  }

  /** Every key with its value (optional keys only when set), in declaration order: reads back to equal settings. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    for (Key<?> key : schema.keys()) {
      Object value = values.get(key);
      if (value != null) {
        json.put(key.name(), write(key, value));
      }
    }
    return json;
  }

  @SuppressWarnings("unchecked")
  private static <T> Object write(Key<T> key, Object value) {
    return key.type().write((T) value);
  }
}
