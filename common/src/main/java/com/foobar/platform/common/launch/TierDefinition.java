package com.foobar.platform.common.launch;

import com.foobar.platform.common.config.Schema;
import com.foobar.platform.common.config.Settings;

import java.util.List;
import java.util.ServiceLoader;

/**
 * What a tier's jar tells the shared main class ({@link TierApplication}) about its configuration, so that
 * {@code --check} validates a file exactly as the tier's start would: the declarations, the environment prefix and
 * the checks beyond single keys. A jar names its one implementation in
 * {@code META-INF/services/com.foobar.platform.common.launch.TierDefinition}.
 */
public interface TierDefinition {

  /** How messages name the tier: {@code balancer}. */
  String name();

  /** The declarations of the tier's options. */
  Schema schema();

  /** The prefix of the environment variables that override keys: {@code FOOBAR_LB_}. */
  String envPrefix();

  /**
   * What a start would also refuse in valid {@code settings}: keys that depend on each other, files that must
   * parse. {@code clustered}: the process runs with {@code -cluster}. None by default.
   */
  default List<String> problems(Settings settings, boolean clustered) {
    return List.of();
  }

  /** The definition this class path carries, or null when it has none; several are an error. */
  static TierDefinition find() {
    List<TierDefinition> found = ServiceLoader.load(TierDefinition.class).stream().map(ServiceLoader.Provider::get)
      .toList();
    if (found.size() > 1) {
      throw new IllegalStateException("several tiers on the class path: "
        + found.stream().map(TierDefinition::name).toList());
    }
    return found.isEmpty() ? null : found.get(0);
  }
}
