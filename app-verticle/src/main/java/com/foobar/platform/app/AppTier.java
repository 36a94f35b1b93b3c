package com.foobar.platform.app;

import com.foobar.platform.common.launch.OptionsTier;

/** The application server's configuration for the jar's shared main class ({@code --check}). */
public final class AppTier extends OptionsTier {

  public AppTier() {
    super("app", AppOptions.SCHEMA, AppVerticle.ENV_PREFIX, AppOptions::new);
  }
}
