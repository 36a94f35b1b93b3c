package com.foobar.platform.lb.edge;

import com.foobar.platform.common.config.Key;
import com.foobar.platform.common.config.Schema;
import com.foobar.platform.common.config.Settings;
import com.foobar.platform.common.config.Types;
import com.foobar.platform.lb.LbError;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Set;

/**
 * The balancer's TLS settings ({@code "tls"} in {@code conf/lb.json}). With no certificate (and no
 * {@code selfSignedDir}) the balancer serves plain HTTP only; with one or more it also listens on {@code port} for HTTPS (TLS 1.2 and 1.3, modern AEAD
 * ciphers, HTTP/2 through ALPN, SNI choosing among the certificates by host name). Certificates are PEM files,
 * re-read without a restart when they change. Backend traffic stays plain unless {@code backendSsl} is on.
 */
public final class TlsOptions {

  /** One entry of {@code certificates}. */
  private static final Schema CERTIFICATE = new Schema("tls certificate");
  private static final Key<String> CERT = CERTIFICATE.key("cert", Types.nonEmptyText(), null,
    "PEM certificate chain");
  private static final Key<String> KEY = CERTIFICATE.key("key", Types.nonEmptyText(), null, "PEM private key");

  public static final Schema SCHEMA = new Schema("tls options");
  static final Key<Integer> PORT = SCHEMA.port("port", 8443,
    "HTTPS port on `host`, next to the HTTP one; the listener runs only when `tls.certificates` has an entry");
  static final Key<List<Settings>> CERTIFICATES = SCHEMA.key("certificates",
    Types.listOf(Types.checked(Types.object(CERTIFICATE), "{\"cert\": path, \"key\": path}",
      entry -> entry.get(CERT) == null || entry.get(KEY) == null ? "needs both cert and key" : null)),
    List.of(), "PEM files `[{\"cert\":\"fullchain.pem\",\"key\":\"privkey.pem\"}, ...]`; with several, SNI picks the "
      + "certificate whose names match the client's server name, the first is the default. Empty: plain HTTP only");
  static final Key<String> PLAIN_HTTP = SCHEMA.oneOf("plainHttp", "serve", List.of("serve", "redirect"), "what the "
    + "plain-HTTP listener (`port`) does while HTTPS is on: `serve` the site, or `redirect` every request with a "
    + LbError.HTTPS_REQUIRED.status() + " "
    + "to `https://<Host><path>?<query>` (HAProxy's `redirect scheme https code 301`) but for "
    + "`/.well-known/acme-challenge/`, still forwarded so a certificate authority's HTTP-01 check reaches the site; "
    + "a missing or malformed `Host` gets " + LbError.BAD_HOST.named());
  static final Key<String> SELF_SIGNED_DIR = SCHEMA.text("selfSignedDir", "", "with no `certificates`: serve HTTPS "
    + "anyway with the self-signed certificate `self-signed.crt`/`self-signed.key` in this directory, made there at "
    + "the first start (kept, so clients that pinned it keep working), with a loud warning at every start; for a "
    + "first start before the real certificate is installed. `\"\"` = no HTTPS without a certificate");
  static final Key<Integer> REDIRECT_PORT = SCHEMA.port("redirectPort", 0, "the port redirects name when clients "
    + "reach HTTPS on another port than the listener's (443 forwarded to 8443); 0 = the listener's own, 443 is left "
    + "out of the URL");
  static final Key<String> HSTS = SCHEMA.text("hsts", "max-age=31536000",
    "`Strict-Transport-Security` on every HTTPS response (one year: HAProxy's and Mozilla's advice); `\"\"` = none");
  static final Key<Integer> RELOAD_INTERVAL_MS = SCHEMA.millis("reloadIntervalMs", 5_000, 0, 86_400_000,
    "ms between checks of the certificate files' modification times; a change is installed without a restart (new "
      + "handshakes get it, open connections keep theirs); an unreadable file keeps the old certificate; 0 = never",
    "reloadInterval");
  static final Key<Boolean> HTTP2 = SCHEMA.flag("http2", true,
    "offer HTTP/2 through ALPN on the HTTPS port (HTTP/1.1 always)");
  static final Key<String> ENGINE = SCHEMA.oneOf("engine", "auto", List.of("auto", "openssl", "jdk"),
    "the HTTPS listener's TLS implementation: `openssl` = BoringSSL from netty-tcnative (native handshakes and "
      + "records, HAProxy's speed), `jdk` = the JVM's own, `auto` = BoringSSL where its native library loads, else the "
      + "JVM's (logged)");
  static final Key<Boolean> BACKEND_SSL = SCHEMA.flag("backendSsl", false, "TLS to the backends and their health "
    + "checks; off by default: the backends sit on loopback or a private network");
  static final Key<String> BACKEND_TRUST_FILE = SCHEMA.text("backendTrustFile", "",
    "PEM CA certificates the backends' certificates must chain to; empty = the JVM's trust store");
  static final Key<Boolean> BACKEND_VERIFY_HOST = SCHEMA.flag("backendVerifyHost", true,
    "the backend certificate must name the backend's host");

  /** Keys a reload applies while TLS is on (new certificate files); every other one needs a restart. */
  private static final Set<Key<?>> LIVE = Set.of(CERTIFICATES, RELOAD_INTERVAL_MS);

  /** A PEM certificate chain and its private key. */
  public record Certificate(String cert, String key) {
  }

  private final Settings settings;
  private final List<Certificate> certificates;

  public TlsOptions(Settings settings) {
    this.settings = settings;
    this.certificates = settings.get(CERTIFICATES).stream()
      .map(entry -> new Certificate(entry.get(CERT).trim(), entry.get(KEY).trim())).toList();
  }

  /** The names of the keys a reload applies while TLS is on. */
  public static Set<String> liveKeys() {
    return Set.copyOf(LIVE.stream().map(Key::name).toList());
  }

  public JsonObject toJson() {
    return settings.toJson();
  }

  /** True when the HTTPS listener runs (a certificate, or the self-signed one). */
  public boolean enabled() {
    return !certificates.isEmpty() || !selfSignedDir().isEmpty();
  }

  /** The directory of the self-signed certificate, or "" when none is made. */
  public String selfSignedDir() {
    return settings.get(SELF_SIGNED_DIR).trim();
  }

  /** The certificates served: the configured ones, else the self-signed one (when configured). */
  public List<Certificate> served() {
    return certificates.isEmpty() && !selfSignedDir().isEmpty() ? List.of(SelfSigned.in(selfSignedDir()))
      : certificates;
  }

  public int port() {
    return settings.get(PORT);
  }

  public List<Certificate> certificates() {
    return certificates;
  }

  /** Whether the plain-HTTP listener redirects to HTTPS ({@code plainHttp: redirect}). */
  public boolean redirect() {
    return "redirect".equals(settings.get(PLAIN_HTTP));
  }

  public int redirectPort() {
    return settings.get(REDIRECT_PORT);
  }

  public String hsts() {
    return settings.get(HSTS).trim();
  }

  public int reloadIntervalMs() {
    return settings.get(RELOAD_INTERVAL_MS);
  }

  public boolean http2() {
    return settings.get(HTTP2);
  }

  /** {@code auto}, {@code openssl} or {@code jdk}. */
  public String engine() {
    return settings.get(ENGINE);
  }

  public boolean backendSsl() {
    return settings.get(BACKEND_SSL);
  }

  public String backendTrustFile() {
    return settings.get(BACKEND_TRUST_FILE).trim();
  }

  public boolean backendVerifyHost() {
    return settings.get(BACKEND_VERIFY_HOST);
  }
}
