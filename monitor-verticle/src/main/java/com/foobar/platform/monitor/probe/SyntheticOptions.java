package com.foobar.platform.monitor.probe;

import com.foobar.platform.common.config.Key;
import com.foobar.platform.common.config.Schema;
import com.foobar.platform.common.config.Settings;
import com.foobar.platform.common.config.Types;
import com.foobar.platform.common.config.ValueType;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.WebClientOptions;

/**
 * The synthetic end-to-end probe ({@code "synthetic"} in {@code conf/monitor.json}): the site's public URL as a
 * user reaches it (the balancer), the author its probe posts carry, and how often it tries to read a post back
 * (reads go to the replica, which may be a moment behind).
 */
public record SyntheticOptions(boolean enabled, String url, String author, int readAttempts, int readRetryMs,
                               String trustFile, boolean verifyHost) {

  public static final Schema SCHEMA = new Schema("synthetic options");
  /** The app's limit on an author's length. */
  static final int MAX_AUTHOR = 64;
  private static final ValueType<String> SITE = Types.parsed("an absolute http(s) URL (a trailing / is dropped)",
    raw -> HttpTarget.url(raw).replaceFirst("/$", ""), url -> url);
  static final Key<Boolean> ENABLED = SCHEMA.flag("enabled", true,
    "write, read back and delete a probe post through the balancer each round");
  static final Key<String> URL = SCHEMA.key("url", SITE, "http://127.0.0.1:8080",
    "the site's base URL through the balancer's public port");
  static final Key<String> AUTHOR = SCHEMA.key("author", Types.checked(Types.nonEmptyText(),
      "a non-empty string of at most " + MAX_AUTHOR + " characters",
      author -> author.length() > MAX_AUTHOR ? "must be at most " + MAX_AUTHOR + " characters (the app's limit)" : null),
    "foobar-monitor", "the author of probe posts, so that a probe post a user glimpses says where it comes from");
  static final Key<Integer> READ_ATTEMPTS = SCHEMA.integer("readAttempts", 10, 1, 100,
    "reads of the new post before the probe gives up; a 404 is retried since the replica may lag");
  static final Key<Integer> READ_RETRY_MS = SCHEMA.millis("readRetryMs", 50, 1, 10_000, "the wait between those reads");
  static final Key<String> TRUST_FILE = SCHEMA.text("trustFile", "", "for an `https://` url: PEM certificates the "
    + "balancer's certificate must chain to (its own self-signed one pins it); empty = the JVM's trust store");
  static final Key<Boolean> VERIFY_HOST = SCHEMA.flag("verifyHost", true, "for an `https://` url: the certificate "
    + "must name the url's host; off when the probe reaches the balancer by another name than the site's (a "
    + "service name, an address) and `trustFile` pins the certificate");

  public SyntheticOptions(Settings settings) {
    this(settings.get(ENABLED), settings.get(URL), settings.get(AUTHOR), settings.get(READ_ATTEMPTS),
      settings.get(READ_RETRY_MS), settings.get(TRUST_FILE).trim(), settings.get(VERIFY_HOST));
  }

  /** The probe's own client: the site as a visitor's browser reaches it, over HTTPS with these trust settings. */
  WebClientOptions clientOptions(long timeoutMs) {
    WebClientOptions client = new WebClientOptions().setConnectTimeout((int) timeoutMs).setFollowRedirects(false)
      .setUserAgent("foobar-monitor").setVerifyHost(verifyHost);
    if (!trustFile.isEmpty()) {
      client.setTrustOptions(new PemTrustOptions().addCertPath(trustFile));
    }
    return client;
  }
}
