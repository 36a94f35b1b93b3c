package com.foobar.platform.common.config;

import io.vertx.core.json.JsonObject;

/** A nested object bound by a schema of its own. */
final class GroupType implements ValueType<Settings> {

  private final Schema nested;

  GroupType(Schema nested) {
    this.nested = nested;
  }

  Schema nested() {
    return nested;
  }

  @Override
  public Settings read(Object raw, String path, Problems problems) {
    if (!(raw instanceof JsonObject json)) {
      problems.error(path, "expected an object (" + nested.what() + "), got " + Types.kind(raw));
      return null;
    }
    return nested.bind(json, path, problems);
  }

  @Override
  public Object write(Settings value) {
    return value.toJson();
  }

  @Override
  public String describe() {
    return "an object (" + nested.what() + ")";
  }
}
