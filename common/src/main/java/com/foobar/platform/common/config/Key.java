package com.foobar.platform.common.config;

import java.util.List;

/**
 * One declared configuration key: its name, type (with range and unit), default, meaning and the names it
 * had before (still accepted, with a warning). Declared once, in a {@link Schema}; everything else — reading,
 * writing back, validation, the configuration check and the README's tables — comes from here.
 *
 * @param <T> the Java type of the value
 */
public final class Key<T> {

  private final String name;
  private final ValueType<T> type;
  private final T defaultValue;
  private final String doc;
  private final List<String> formerNames;

  Key(String name, ValueType<T> type, T defaultValue, String doc, List<String> formerNames) {
    this.name = name;
    this.type = type;
    this.defaultValue = defaultValue;
    this.doc = doc;
    this.formerNames = List.copyOf(formerNames);
  }

  public String name() {
    return name;
  }

  public ValueType<T> type() {
    return type;
  }

  /** The default; null for an optional key that is absent unless given. */
  public T defaultValue() {
    return defaultValue;
  }

  public String doc() {
    return doc;
  }

  /** Names the key had in earlier releases. */
  public List<String> formerNames() {
    return formerNames;
  }

  @Override
  public String toString() {
    return name;
  }
}
