package com.foobar.platform.lb;

import com.foobar.platform.common.config.Settings;
import com.foobar.platform.common.launch.OptionsTier;
import com.foobar.platform.lb.edge.TlsSetup;

import java.util.ArrayList;
import java.util.List;

/**
 * The balancer's configuration for the jar's shared main class ({@code --check}) and for a reload: its
 * declarations ({@link LoadBalancerOptions#SCHEMA}), its environment prefix and what a start would refuse beyond
 * single keys.
 */
public final class LoadBalancerTier extends OptionsTier {

  public LoadBalancerTier() {
    super("balancer", LoadBalancerOptions.SCHEMA, LoadBalancerVerticle.ENV_PREFIX, LoadBalancerOptions::new);
  }

  @Override
  public List<String> problems(Settings settings, boolean clustered) {
    return problems(new LoadBalancerOptions(settings), clustered);
  }

  /** Keys that depend on each other, the backend list, and the TLS files: readable PEM. */
  public static List<String> problems(LoadBalancerOptions options, boolean clustered) {
    List<String> problems = new ArrayList<>(options.problems(clustered));
    problems.addAll(TlsSetup.problems(options.tls()));
    return problems;
  }
}
