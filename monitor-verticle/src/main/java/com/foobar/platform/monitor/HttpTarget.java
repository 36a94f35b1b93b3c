package com.foobar.platform.monitor;

import com.foobar.platform.common.Options;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An HTTP component the monitor probes: a name (the metrics label, so it must stay short and fixed) and the URL
 * of its health endpoint, {@code {"name": "app-1", "url": "http://127.0.0.1:8181/health/ready"}}.
 */
public final class HttpTarget {

  private static final Set<String> KEYS = Set.of("name", "url");
  /** Names become label values and page ids: keep them to a safe, bounded alphabet. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");

  private final String name;
  private final String url;

  public HttpTarget(String name, String url) {
    this.name = requireName(name);
    this.url = requireUrl(name, url);
  }

  public HttpTarget(JsonObject json) {
    this(checked(json).getString("name"), json.getString("url"));
  }

  private static JsonObject checked(JsonObject json) {
    Options.requireKnownKeys(json, KEYS, "http target");
    return json;
  }

  static String requireName(String name) {
    Options.requireText("name", name);
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("name '" + name + "' must match " + NAME.pattern());
    }
    return name;
  }

  private static String requireUrl(String name, String url) {
    Options.requireText(name + ".url", url);
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
        throw new IllegalArgumentException(name + ".url must be an absolute http(s) URL, got '" + url + "'");
      }
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(name + ".url is not a URL: " + e.getMessage(), e);
    }
    return url;
  }

  public String name() {
    return name;
  }

  public String url() {
    return url;
  }

  public JsonObject toJson() {
    return new JsonObject().put("name", name).put("url", url);
  }

  @Override
  public String toString() {
    return name + " (" + url + ")";
  }
}
