package com.foobar.platform.common.config;

import java.util.List;

/** A configuration that cannot be used: every problem found, each naming the key's path. */
public final class ConfigException extends IllegalArgumentException {

  private final List<String> problems;

  public ConfigException(String what, List<String> problems) {
    super(what + ": " + String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
