package com.foobar.platform.monitor.traffic;

import com.foobar.platform.common.config.Key;
import com.foobar.platform.common.config.Schema;
import com.foobar.platform.common.config.Settings;
import com.foobar.platform.monitor.probe.HttpTarget;

/**
 * Where the monitor reads the site's traffic ({@code "traffic"} in {@code conf/monitor.json}): the balancer's
 * Prometheus endpoint, scraped each round for its frontend series (see {@link BalancerTraffic}).
 */
public record TrafficOptions(boolean enabled, String url) {

  public static final Schema SCHEMA = new Schema("traffic options");
  static final Key<Boolean> ENABLED = SCHEMA.flag("enabled", true, "read the balancer's frontend series each round");
  static final Key<String> URL = SCHEMA.key("url", HttpTarget.URL, "http://127.0.0.1:8180/metrics",
    "the balancer's `/metrics` URL (its management port)");

  public TrafficOptions(Settings settings) {
    this(settings.get(ENABLED), settings.get(URL));
  }
}
