package com.foobar.platform.app;

import com.foobar.platform.common.config.ConfigException;
import com.foobar.platform.common.config.Schema;
import com.foobar.platform.common.config.Settings;
import com.foobar.platform.common.launch.TierDefinition;

import java.util.List;

/** The application server's configuration for the jar's shared main class ({@code --check}). */
public final class AppTier implements TierDefinition {

  @Override
  public String name() {
    return "app";
  }

  @Override
  public Schema schema() {
    return AppOptions.SCHEMA;
  }

  @Override
  public String envPrefix() {
    return AppVerticle.ENV_PREFIX;
  }

  /** What building the options refuses beyond single keys, as a start would. */
  @Override
  public List<String> problems(Settings settings, boolean clustered) {
    try {
      new AppOptions(settings);
      return List.of();
    } catch (ConfigException e) {
      return e.problems();
    } catch (IllegalArgumentException e) {
      return List.of(e.getMessage());
    }
  }
}
