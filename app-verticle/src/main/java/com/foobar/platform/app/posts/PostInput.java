package com.foobar.platform.app.posts;

import io.vertx.core.json.JsonObject;

/** A validated post body: every field present, a string, trimmed where it matters, and within its limit. */
record PostInput(String author, String title, String body) {

  static final int MAX_AUTHOR = 64;
  static final int MAX_TITLE = 200;
  static final int MAX_BODY = 10_000;

  static PostInput from(JsonObject json) {
    if (json == null) {
      throw InvalidInput.field(null, "the body must be a JSON object with author, title and body");
    }
    return new PostInput(
      field(json, "author", MAX_AUTHOR, true),
      field(json, "title", MAX_TITLE, true),
      field(json, "body", MAX_BODY, false));
  }

  private static String field(JsonObject json, String name, int max, boolean trim) {
    Object value = json.getValue(name);
    if (value == null) {
      throw InvalidInput.field(name, name + " is required");
    }
    if (!(value instanceof String)) {
      throw InvalidInput.field(name, name + " must be a string");
    }
    String text = trim ? ((String) value).strip() : (String) value;
    if (text.isBlank()) {
      throw InvalidInput.field(name, name + " must not be empty");
    }
    if (text.codePointCount(0, text.length()) > max) {
      throw InvalidInput.field(name, name + " must be at most " + max + " characters");
    }
    if (text.indexOf('\0') >= 0) {
      throw InvalidInput.field(name, name + " must not contain NUL characters");
    }
    return text;
  }
}
