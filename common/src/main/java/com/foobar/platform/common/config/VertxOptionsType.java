package com.foobar.platform.common.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * A nested object that one of Vert.x's options classes reads. Their JSON constructors ignore unknown keys and
 * fail on a wrong type with a bare {@code ClassCastException}; this checks first: a key must be one the class
 * writes itself (its reference {@code toJson()}) or a declared extra, with the type of the reference value.
 */
final class VertxOptionsType implements ValueType<JsonObject> {

  private final JsonObject reference;
  private final JsonObject defaults;
  private final List<String> known;

  VertxOptionsType(JsonObject reference, JsonObject defaults, List<String> extraKeys) {
    this.reference = reference;
    this.defaults = defaults;
    TreeSet<String> names = new TreeSet<>(reference.fieldNames());
    names.addAll(extraKeys);
    names.addAll(defaults.fieldNames());
    this.known = new ArrayList<>(names);
  }

  @Override
  public JsonObject read(Object raw, String path, Problems problems) {
    if (!(raw instanceof JsonObject given)) {
      problems.error(path, "expected an object, got " + Types.kind(raw));
      return null;
    }
    boolean ok = true;
    for (String field : given.fieldNames()) {
      String problem = problem(field, given.getValue(field));
      if (problem != null) {
        problems.error(Problems.child(path, field), problem);
        ok = false;
      }
    }
    return ok ? defaults.copy().mergeIn(given, true) : null;
  }

  private String problem(String field, Object value) {
    if (!known.contains(field)) {
      return "unknown key" + Suggestions.didYouMean(field, known) + " (known: " + String.join(", ", known) + ")";
    }
    Object sample = reference.getValue(field, defaults.getValue(field));
    if (sample == null || value == null || sameKind(sample, value)) {
      return null;
    }
    return "expected " + kindName(sample) + ", got " + Types.kind(value);
  }

  private static boolean sameKind(Object sample, Object value) {
    return sample instanceof Number ? value instanceof Number : sample.getClass().isInstance(value);
  }

  private static String kindName(Object sample) {
    if (sample instanceof Number) {
      return "a number";
    }
    if (sample instanceof Boolean) {
      return "true or false";
    }
    if (sample instanceof String) {
      return "a string";
    }
    return sample instanceof JsonArray ? "an array" : "an object";
  }

  @Override
  public Object write(JsonObject value) {
    return value.copy();
  }

  @Override
  public String describe() {
    return "an object";
  }
}
