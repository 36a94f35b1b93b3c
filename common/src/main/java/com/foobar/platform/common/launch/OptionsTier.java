package com.foobar.platform.common.launch;

import com.foobar.platform.common.config.ConfigException;
import com.foobar.platform.common.config.Schema;
import com.foobar.platform.common.config.Settings;

import java.util.List;
import java.util.function.Consumer;

/**
 * A tier whose start refuses what building its options class refuses: {@code --check} builds them the same way
 * ({@code build}, e.g. {@code AppOptions::new}) and reports what that throws.
 */
public abstract class OptionsTier implements TierDefinition {

  private final String name;
  private final Schema schema;
  private final String envPrefix;
  private final Consumer<Settings> build;

  protected OptionsTier(String name, Schema schema, String envPrefix, Consumer<Settings> build) {
    this.name = name;
    this.schema = schema;
    this.envPrefix = envPrefix;
    this.build = build;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Schema schema() {
    return schema;
  }

  @Override
  public String envPrefix() {
    return envPrefix;
  }

  @Override
  public List<String> problems(Settings settings, boolean clustered) {
    try {
      build.accept(settings);
      return List.of();
    } catch (ConfigException e) {
      return e.problems();
    } catch (IllegalArgumentException e) {
      return List.of(e.getMessage());
    }
  }
}
