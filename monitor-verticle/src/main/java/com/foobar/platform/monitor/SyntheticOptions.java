package com.foobar.platform.monitor;

import com.foobar.platform.common.Options;
import io.vertx.core.json.JsonObject;

import java.util.Set;

/**
 * The synthetic end-to-end probe ({@code "synthetic"} in {@code conf/monitor.json}): the site's public URL as a
 * user reaches it (the balancer), the author its probe posts carry, and how often it tries to read a post back
 * (reads go to the replica, which may be a moment behind).
 */
public final class SyntheticOptions {

  public static final boolean DEFAULT_ENABLED = true;
  public static final String DEFAULT_URL = "http://127.0.0.1:8080";
  public static final String DEFAULT_AUTHOR = "foobar-monitor";
  public static final int DEFAULT_READ_ATTEMPTS = 10;
  public static final int DEFAULT_READ_RETRY_MS = 50;

  private static final Set<String> KEYS = Set.of("enabled", "url", "author", "readAttempts", "readRetryMs");

  private boolean enabled = DEFAULT_ENABLED;
  private String url = DEFAULT_URL;
  private String author = DEFAULT_AUTHOR;
  private int readAttempts = DEFAULT_READ_ATTEMPTS;
  private int readRetryMs = DEFAULT_READ_RETRY_MS;

  public SyntheticOptions() {
  }

  public SyntheticOptions(JsonObject json) {
    Options.requireKnownKeys(json, KEYS, "synthetic options");
    setEnabled(json.getBoolean("enabled", enabled));
    setUrl(json.getString("url", url));
    setAuthor(json.getString("author", author));
    setReadAttempts(json.getInteger("readAttempts", readAttempts));
    setReadRetryMs(json.getInteger("readRetryMs", readRetryMs));
  }

  public JsonObject toJson() {
    return new JsonObject().put("enabled", enabled).put("url", url).put("author", author)
      .put("readAttempts", readAttempts).put("readRetryMs", readRetryMs);
  }

  public boolean isEnabled() {
    return enabled;
  }

  public SyntheticOptions setEnabled(boolean enabled) {
    this.enabled = enabled;
    return this;
  }

  public String getUrl() {
    return url;
  }

  /** The site's base URL through the balancer's public port, without a trailing slash. */
  public SyntheticOptions setUrl(String url) {
    String checked = new HttpTarget("synthetic", url).url();
    this.url = checked.endsWith("/") ? checked.substring(0, checked.length() - 1) : checked;
    return this;
  }

  public String getAuthor() {
    return author;
  }

  /** The author of probe posts, so that a probe post a user glimpses says where it comes from. */
  public SyntheticOptions setAuthor(String author) {
    Options.requireText("synthetic.author", author);
    if (author.length() > 64) {
      throw new IllegalArgumentException("synthetic.author must be at most 64 characters (the app's limit)");
    }
    this.author = author;
    return this;
  }

  public int getReadAttempts() {
    return readAttempts;
  }

  /** Reads of the new post before the probe gives up; a 404 is retried since the replica may lag. */
  public SyntheticOptions setReadAttempts(int readAttempts) {
    this.readAttempts = Options.requireRange("synthetic.readAttempts", readAttempts, 1, 100);
    return this;
  }

  public int getReadRetryMs() {
    return readRetryMs;
  }

  public SyntheticOptions setReadRetryMs(int readRetryMs) {
    this.readRetryMs = Options.requireRange("synthetic.readRetryMs", readRetryMs, 1, 10_000);
    return this;
  }
}
