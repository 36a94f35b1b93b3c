package com.foobar.platform.common.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** The value types keys are declared with. Each names the expected form in its errors. */
public final class Types {

  private Types() {
  }

  /** Any string, trimmed of nothing: a path, an address, a header value. */
  public static ValueType<String> text() {
    return new Scalar<>("a string", String.class, Function.identity(), "");
  }

  /** A string that must hold something besides white space. */
  public static ValueType<String> nonEmptyText() {
    return checked(text(), "a non-empty string", value -> value.isBlank() ? "must not be empty" : null);
  }

  public static ValueType<Boolean> bool() {
    return new Scalar<>("true or false", Boolean.class, Function.identity(), "");
  }

  public static ValueType<Integer> integer(int min, int max, String unit) {
    return new Whole<>(min, max, unit, Number::intValue);
  }

  public static ValueType<Long> longInteger(long min, long max, String unit) {
    return new Whole<>(min, max, unit, Number::longValue);
  }

  /** One of a fixed set of words; the first is not special, the key's default says which applies. */
  public static ValueType<String> oneOf(List<String> allowed) {
    return checked(text(), "one of " + String.join(", ", allowed),
      value -> allowed.contains(value) ? null : "must be one of " + String.join(", ", allowed) + ", got '" + value + "'");
  }

  /** A path to a file that must exist and be readable when given; empty means "none". */
  public static ValueType<String> file() {
    return checked(text(), "the path of a readable file (empty: none)", value -> value.isEmpty()
      || Files.isReadable(Path.of(value)) ? null : "file '" + value + "' does not exist or cannot be read");
  }

  /**
   * An object one of Vert.x's options classes reads ({@code MySQLConnectOptions}, {@code PoolOptions}, ...): the
   * keys its {@code reference.toJson()} writes, those of {@code defaults} and {@code extraKeys} are known, each
   * with the type of its reference value; the result is {@code defaults} with the given keys merged in. For a
   * list of such objects ({@link #listOf}); a single one is {@link Schema#vertx}.
   */
  public static ValueType<JsonObject> vertxOptions(JsonObject reference, JsonObject defaults, List<String> extraKeys) {
    return new VertxOptionsType(reference, defaults, extraKeys);
  }

  /**
   * {@code base}, an object (such as {@link #vertxOptions}), whose number {@code field} must be from {@code min} to
   * {@code max}: Vert.x's options classes check few of their values themselves.
   */
  public static ValueType<JsonObject> fieldWithin(ValueType<JsonObject> base, String field, long min, long max) {
    return new Refined<>(base, base.describe(), (value, path, problems) -> {
      Object number = value.getValue(field);
      if (number instanceof Number given && (given.doubleValue() < min || given.doubleValue() > max)) {
        problems.error(Problems.child(path, field), "must be from " + min + " to " + max + ", got " + given);
        return false;
      }
      return true;
    });
  }

  /**
   * A JSON object with keys of its own, bound by {@code nested} (unknown keys, types and ranges checked with their
   * path): the element type of a list of objects, {@code listOf(object(...))}.
   */
  public static ValueType<Settings> object(Schema nested) {
    return new GroupType(nested);
  }

  /** A JSON array of {@code element} values. */
  public static <T> ValueType<List<T>> listOf(ValueType<T> element) {
    return new ListType<>(element);
  }

  /**
   * A value parsed by {@code parse}, whose {@link IllegalArgumentException} message becomes the problem:
   * for values with a grammar of their own (a {@code host:port}, a CIDR, a backend entry).
   */
  public static <T> ValueType<T> parsed(String description, Function<Object, T> parse, Function<T, Object> write) {
    return new ValueType<>() {
      @Override
      public T read(Object raw, String path, Problems problems) {
        try {
          return parse.apply(raw);
        } catch (IllegalArgumentException | ClassCastException e) {
          problems.error(path, "expected " + description + ": " + e.getMessage());
          return null;
        }
      }

      @Override
      public Object write(T value) {
        return write.apply(value);
      }

      @Override
      public String describe() {
        return description;
      }
    };
  }

  /** {@code base} plus a rule: {@code check} returns a problem, or null when the value is fine. */
  public static <T> ValueType<T> checked(ValueType<T> base, String description, Function<T, String> check) {
    return new Refined<>(base, description, (value, path, problems) -> {
      String problem = check.apply(value);
      if (problem != null) {
        problems.error(path, problem);
      }
      return problem == null;
    });
  }

  /** A further rule on a value {@code base} read: reports its own problems, returns whether the value stands. */
  private interface Rule<T> {
    boolean holds(T value, String path, Problems problems);
  }

  private record Refined<T>(ValueType<T> base, String describe, Rule<T> rule) implements ValueType<T> {

    @Override
    public T read(Object raw, String path, Problems problems) {
      T value = base.read(raw, path, problems);
      return value == null || rule.holds(value, path, problems) ? value : null;
    }

    @Override
    public Object write(T value) {
      return base.write(value);
    }

    @Override
    public String unit() {
      return base.unit();
    }
  }

  /** What a JSON value is, for messages: {@code a string "80a"}, {@code a number 3.5}, {@code an object}. */
  static String kind(Object raw) {
    if (raw instanceof String text) {
      return "a string \"" + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + "\"";
    }
    if (raw instanceof Number || raw instanceof Boolean) {
      return (raw instanceof Number ? "a number " : "a boolean ") + raw;
    }
    return raw instanceof JsonArray ? "an array" : "an object";
  }

  private record Scalar<T>(String describe, Class<T> javaType, Function<T, T> normalize, String unit)
    implements ValueType<T> {

    @Override
    public T read(Object raw, String path, Problems problems) {
      if (!javaType.isInstance(raw)) {
        problems.error(path, "expected " + describe + ", got " + kind(raw));
        return null;
      }
      return normalize.apply(javaType.cast(raw));
    }

    @Override
    public Object write(T value) {
      return value;
    }
  }

  private record Whole<T extends Number>(long min, long max, String unit, Function<Number, T> convert)
    implements ValueType<T> {

    @Override
    public T read(Object raw, String path, Problems problems) {
      if (!(raw instanceof Number number) || number.doubleValue() != Math.rint(number.doubleValue())) {
        problems.error(path, "expected " + describe() + ", got " + kind(raw));
        return null;
      }
      long value = number.longValue();
      if (value < min || value > max) {
        problems.error(path, "must be " + range() + ", got " + value);
        return null;
      }
      return convert.apply(number);
    }

    @Override
    public Object write(T value) {
      return value;
    }

    @Override
    public String describe() {
      return "an integer " + range();
    }

    private String range() {
      return "from " + min + " to " + max + (unit.isEmpty() ? "" : " " + unit);
    }
  }

  private record ListType<T>(ValueType<T> element) implements ValueType<List<T>> {

    @Override
    public List<T> read(Object raw, String path, Problems problems) {
      if (!(raw instanceof JsonArray array)) {
        problems.error(path, "expected a list of " + element.describe() + ", got " + kind(raw));
        return null;
      }
      List<T> values = new ArrayList<>();
      boolean ok = true;
      for (int i = 0; i < array.size(); i++) {
        Object item = array.getValue(i);
        T value = item == null ? null : element.read(item, Problems.element(path, i), problems);
        if (item == null) {
          problems.error(Problems.element(path, i), "expected " + element.describe() + ", got null");
        }
        ok &= value != null;
        values.add(value);
      }
      return ok ? List.copyOf(values) : null;
    }

    @Override
    public Object write(List<T> value) {
      JsonArray array = new JsonArray();
      value.forEach(item -> array.add(element.write(item)));
      return array;
    }

    @Override
    public String describe() {
      return "a list of " + element.describe();
    }
  }
}
