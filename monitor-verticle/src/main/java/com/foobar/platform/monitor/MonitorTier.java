package com.foobar.platform.monitor;

import com.foobar.platform.common.launch.OptionsTier;

/** The monitor's configuration for the jar's shared main class ({@code --check}). */
public final class MonitorTier extends OptionsTier {

  public MonitorTier() {
    super("monitor", MonitorOptions.SCHEMA, MonitorVerticle.ENV_PREFIX, MonitorOptions::new);
  }
}
