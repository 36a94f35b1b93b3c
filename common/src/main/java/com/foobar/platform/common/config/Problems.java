package com.foobar.platform.common.config;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * What is wrong with a configuration (errors, each naming the key's path) and what is merely old
 * (warnings: a renamed key still accepted). Binding collects all of them before failing, so a check lists
 * every mistake at once.
 */
public final class Problems {

  private final List<String> errors = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();

  public void error(String path, String message) {
    errors.add(path.isEmpty() ? message : path + ": " + message);
  }

  public void warn(String message) {
    warnings.add(message);
  }

  public List<String> errors() {
    return List.copyOf(errors);
  }

  public List<String> warnings() {
    return List.copyOf(warnings);
  }

  public boolean hasErrors() {
    return !errors.isEmpty();
  }

  /** Fails with every error when there is one; hands the warnings to {@code warningSink} either way. */
  public void throwIfErrors(String what, Consumer<String> warningSink) {
    warnings.forEach(warningSink);
    if (hasErrors()) {
      throw new ConfigException(what, errors());
    }
  }

  /** A path below {@code parent}: {@code tls} + {@code port} is {@code tls.port}; an array element {@code replicas[0]}. */
  static String child(String parent, String key) {
    return parent.isEmpty() ? key : parent + "." + key;
  }

  static String element(String parent, int index) {
    return parent + "[" + index + "]";
  }
}
