package com.foobar.platform.monitor;

import com.foobar.platform.common.Options;
import io.vertx.core.json.JsonObject;

import java.util.Set;

/**
 * Where the monitor reads the site's traffic ({@code "traffic"} in {@code conf/monitor.json}): the balancer's
 * Prometheus endpoint, scraped each round for its frontend series (see {@link BalancerTraffic}).
 */
public final class TrafficOptions {

  public static final boolean DEFAULT_ENABLED = true;
  public static final String DEFAULT_URL = "http://127.0.0.1:8180/metrics";

  private static final Set<String> KEYS = Set.of("enabled", "url");

  private boolean enabled = DEFAULT_ENABLED;
  private String url = DEFAULT_URL;

  public TrafficOptions() {
  }

  public TrafficOptions(JsonObject json) {
    Options.requireKnownKeys(json, KEYS, "traffic options");
    setEnabled(json.getBoolean("enabled", enabled));
    setUrl(json.getString("url", url));
  }

  public JsonObject toJson() {
    return new JsonObject().put("enabled", enabled).put("url", url);
  }

  public boolean isEnabled() {
    return enabled;
  }

  public TrafficOptions setEnabled(boolean enabled) {
    this.enabled = enabled;
    return this;
  }

  public String getUrl() {
    return url;
  }

  /** The balancer's {@code /metrics} URL (its management port). */
  public TrafficOptions setUrl(String url) {
    this.url = new HttpTarget("traffic", url).url();
    return this;
  }
}
