package com.foobar.platform.common.launch;

import com.foobar.platform.common.PlatformMetrics;
import com.foobar.platform.common.TierConfig;
import com.foobar.platform.common.config.Schema;
import com.foobar.platform.common.config.Settings;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

import java.util.function.Function;

/**
 * A tier's verticle: its start binds the configuration (defaults, the {@code -conf} file, the tier's environment
 * variables) the same way for every tier, and only then starts the tier with its options, so a tier never runs
 * half-configured and every tier refuses a bad file with the same messages.
 */
public abstract class TierVerticle<O> extends VerticleBase {

  private final Schema schema;
  private final String envPrefix;
  private final Function<Settings, O> options;

  protected TierVerticle(Schema schema, String envPrefix, Function<Settings, O> options) {
    this.schema = schema;
    this.envPrefix = envPrefix;
    this.options = options;
  }

  @Override
  public final Future<?> start() {
    // The registry's filters (PlatformMetrics) must be in place before the tier's servers and clients register.
    PlatformMetrics.registry();
    return TierConfig.load(vertx, schema, config(), envPrefix).map(options).compose(this::startWith);
  }

  /** Starts the tier with its bound options; the returned future completes once it serves. */
  protected abstract Future<?> startWith(O options);
}
