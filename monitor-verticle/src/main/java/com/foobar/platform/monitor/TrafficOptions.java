package com.foobar.platform.monitor;

import com.foobar.platform.common.Options;
import io.vertx.core.json.JsonObject;

import java.util.Set;

/**
 * Where the monitor reads the site's traffic ({@code "traffic"} in {@code conf/monitor.json}): the balancer's
 * Prometheus endpoint, scraped each round, and the {@code local} label of its public server (so the balancer's
 * management requests, and in a shared registry other servers, are not counted). A null {@code local} counts
 * every server in the scrape except the one serving the scrape itself.
 */
public final class TrafficOptions {

  public static final boolean DEFAULT_ENABLED = true;
  public static final String DEFAULT_URL = "http://127.0.0.1:8180/metrics";
  public static final String DEFAULT_LOCAL = "127.0.0.1:8080";

  private static final Set<String> KEYS = Set.of("enabled", "url", "local");

  private boolean enabled = DEFAULT_ENABLED;
  private String url = DEFAULT_URL;
  private String local = DEFAULT_LOCAL;

  public TrafficOptions() {
  }

  public TrafficOptions(JsonObject json) {
    Options.requireKnownKeys(json, KEYS, "traffic options");
    setEnabled(json.getBoolean("enabled", enabled));
    setUrl(json.getString("url", url));
    setLocal(json.containsKey("local") ? json.getString("local") : local);
  }

  public JsonObject toJson() {
    return new JsonObject().put("enabled", enabled).put("url", url).put("local", local);
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

  public String getLocal() {
    return local;
  }

  /** The {@code local} label value of the balancer's public server, e.g. {@code 127.0.0.1:8080}; null for all. */
  public TrafficOptions setLocal(String local) {
    this.local = local == null || local.isBlank() ? null : local;
    return this;
  }
}
