package com.foobar.platform.monitor;

import com.foobar.platform.common.config.ConfigException;
import com.foobar.platform.common.config.Schema;
import com.foobar.platform.common.config.Settings;
import com.foobar.platform.common.launch.TierDefinition;

import java.util.List;

/** The monitor's configuration for the jar's shared main class ({@code --check}). */
public final class MonitorTier implements TierDefinition {

  @Override
  public String name() {
    return "monitor";
  }

  @Override
  public Schema schema() {
    return MonitorOptions.SCHEMA;
  }

  @Override
  public String envPrefix() {
    return MonitorVerticle.ENV_PREFIX;
  }

  /** What building the options refuses beyond single keys, as a start would. */
  @Override
  public List<String> problems(Settings settings, boolean clustered) {
    try {
      new MonitorOptions(settings);
      return List.of();
    } catch (ConfigException e) {
      return e.problems();
    } catch (IllegalArgumentException e) {
      return List.of(e.getMessage());
    }
  }
}
