package com.foobar.platform.common.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The README's table of a schema's keys, made from the declarations so the two cannot disagree (each tier
 * has a test that compares them). Nested groups are flattened to {@code group.key} rows.
 */
public final class KeyTable {

  private KeyTable() {
  }

  /** A Markdown table: key, type, default, meaning. */
  public static String markdown(Schema schema) {
    StringBuilder table = new StringBuilder("| key | type | default | meaning |\n|---|---|---|---|\n");
    rows(schema, "", table);
    return table.toString();
  }

  private static void rows(Schema schema, String prefix, StringBuilder table) {
    for (Key<?> key : schema.keys()) {
      String name = prefix + key.name();
      if (key.type() instanceof GroupType group) {
        rows(group.nested(), name + ".", table);
        continue;
      }
      table.append("| `").append(name).append("` | ").append(escape(key.type().describe())).append(" | ")
        .append(defaultText(key)).append(" | ").append(escape(key.doc()))
        .append(key.formerNames().isEmpty() ? "" : " (formerly `" + String.join("`, `", key.formerNames()) + "`)")
        .append(" |\n");
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> String defaultText(Key<T> key) {
    T value = key.defaultValue();
    if (value == null) {
      return "—";
    }
    Object json = key.type().write(value);
    String text = json instanceof JsonObject || json instanceof JsonArray ? json.toString()
      : json instanceof String string ? "\"" + string + "\"" : String.valueOf(json);
    return "`" + text.replace("|", "\\|") + "`";
  }

  private static String escape(String text) {
    return text.replace("|", "\\|").replace("\n", " ");
  }
}
