package com.foobar.platform.monitor.probe;

import com.foobar.platform.common.config.Types;
import com.foobar.platform.common.config.ValueType;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An HTTP component the monitor probes: a name (the metrics label, so it must stay short and fixed) and the URL
 * of its health endpoint, {@code {"name": "app-1", "url": "http://127.0.0.1:8181/health/ready"}}; for an app
 * server also {@code "backend"}, the {@code host:port} the balancer knows it by (its admin API's backend name),
 * so that a server the balancer drains or holds in MAINT counts as in maintenance, not down. Holds the one parser
 * of these and of the monitor's other URLs (webhooks, the synthetic probe's site, the balancer's metrics).
 */
public record HttpTarget(String name, String url, String backend) {

  /** An absolute http(s) URL with a host. */
  public static final ValueType<String> URL = Types.parsed("an absolute http(s) URL", HttpTarget::url, url -> url);
  /** A {@code {"name", "url"}} object. */
  public static final ValueType<HttpTarget> TYPE = Types.parsed(
    "an object {\"name\": \"<component>\", \"url\": \"<health URL>\"} (a server also \"backend\": \"host:port\")",
    HttpTarget::parse, HttpTarget::toJson);

  private static final Set<String> KEYS = Set.of("name", "url", "backend");
  private static final Pattern BACKEND = Pattern.compile("[A-Za-z0-9_.:\\[\\]-]{1,253}:[0-9]{1,5}");
  /** Names become label values and page ids: keep them to a safe, bounded alphabet. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");

  /** A target from its JSON object; the message of the exception says what is wrong. */
  public static HttpTarget parse(Object raw) {
    if (!(raw instanceof JsonObject json)) {
      throw new IllegalArgumentException("got " + raw);
    }
    for (String key : json.fieldNames()) {
      if (!KEYS.contains(key)) {
        throw new IllegalArgumentException("unknown key '" + key + "' (known: name, url, backend)");
      }
    }
    Object name = json.getValue("name");
    if (!(name instanceof String text) || !NAME.matcher(text).matches()) {
      throw new IllegalArgumentException("name '" + name + "' must match " + NAME.pattern());
    }
    Object backend = json.getValue("backend");
    if (backend != null && !(backend instanceof String address && BACKEND.matcher(address).matches())) {
      throw new IllegalArgumentException("backend '" + backend + "' must be host:port, the balancer's name for it");
    }
    return new HttpTarget(text, url(json.getValue("url")), (String) backend);
  }

  /** {@code raw} when it is an absolute http(s) URL with a host. */
  public static String url(Object raw) {
    if (!(raw instanceof String url) || url.isBlank()) {
      throw new IllegalArgumentException("url must be an absolute http(s) URL, got " + raw);
    }
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
        throw new IllegalArgumentException("url must be an absolute http(s) URL, got '" + url + "'");
      }
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("'" + url + "' is not a URL: " + e.getMessage(), e);
    }
    return url;
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("name", name).put("url", url);
    return backend == null ? json : json.put("backend", backend);
  }

  @Override
  public String toString() {
    return name + " (" + url + ")";
  }
}
