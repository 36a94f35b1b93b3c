package com.foobar.platform.lb.edge;

import com.foobar.platform.common.Options;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The balancer's TLS settings ({@code "tls"} in {@code conf/lb.json}). With no certificate the balancer serves
 * plain HTTP only; with one or more it also listens on {@code port} for HTTPS (TLS 1.2 and 1.3, modern AEAD
 * ciphers, HTTP/2 through ALPN, SNI choosing among the certificates by host name). Certificates are PEM files,
 * re-read without a restart when they change. Backend traffic stays plain unless {@code backendSsl} is on.
 */
public class TlsOptions {

  public static final int DEFAULT_PORT = 8443;
  public static final boolean DEFAULT_REDIRECT = false;
  /** 0: redirects name the HTTPS listener's own port. */
  public static final int DEFAULT_REDIRECT_PORT = 0;
  /** One year, HAProxy's and Mozilla's recommendation; sent on HTTPS responses only. */
  public static final String DEFAULT_HSTS = "max-age=31536000";
  public static final int DEFAULT_RELOAD_INTERVAL_MS = 5_000;
  public static final boolean DEFAULT_HTTP2 = true;
  public static final boolean DEFAULT_BACKEND_SSL = false;
  public static final String DEFAULT_BACKEND_TRUST_FILE = "";
  public static final boolean DEFAULT_BACKEND_VERIFY_HOST = true;

  private static final Set<String> KEYS = Set.of("port", "certificates", "redirect", "redirectPort", "hsts", "reloadInterval",
    "http2", "backendSsl", "backendTrustFile", "backendVerifyHost");

  /** A PEM certificate chain and its private key. */
  public record Certificate(String cert, String key) {
    public Certificate {
      Options.requireText("tls.certificates[].cert", cert);
      Options.requireText("tls.certificates[].key", key);
    }

    static Certificate fromJson(Object item) {
      if (!(item instanceof JsonObject json)) {
        throw new IllegalArgumentException("tls.certificates: each entry is {\"cert\": path, \"key\": path}");
      }
      Options.requireKnownKeys(json, Set.of("cert", "key"), "tls certificate");
      return new Certificate(json.getString("cert"), json.getString("key"));
    }

    JsonObject toJson() {
      return new JsonObject().put("cert", cert).put("key", key);
    }
  }

  private int port = DEFAULT_PORT;
  private List<Certificate> certificates = new ArrayList<>();
  private boolean redirect = DEFAULT_REDIRECT;
  private int redirectPort = DEFAULT_REDIRECT_PORT;
  private String hsts = DEFAULT_HSTS;
  private int reloadInterval = DEFAULT_RELOAD_INTERVAL_MS;
  private boolean http2 = DEFAULT_HTTP2;
  private boolean backendSsl = DEFAULT_BACKEND_SSL;
  private String backendTrustFile = DEFAULT_BACKEND_TRUST_FILE;
  private boolean backendVerifyHost = DEFAULT_BACKEND_VERIFY_HOST;

  public TlsOptions() {
  }

  public TlsOptions(JsonObject json) {
    Options.requireKnownKeys(json, KEYS, "tls options");
    setPort(json.getInteger("port", port));
    List<Certificate> list = new ArrayList<>();
    json.getJsonArray("certificates", new JsonArray()).forEach(item -> list.add(Certificate.fromJson(item)));
    setCertificates(list);
    setRedirect(json.getBoolean("redirect", redirect));
    setRedirectPort(json.getInteger("redirectPort", redirectPort));
    setHsts(json.getString("hsts", hsts));
    setReloadInterval(json.getInteger("reloadInterval", reloadInterval));
    setHttp2(json.getBoolean("http2", http2));
    setBackendSsl(json.getBoolean("backendSsl", backendSsl));
    setBackendTrustFile(json.getString("backendTrustFile", backendTrustFile));
    setBackendVerifyHost(json.getBoolean("backendVerifyHost", backendVerifyHost));
  }

  public JsonObject toJson() {
    JsonArray certs = new JsonArray();
    certificates.forEach(c -> certs.add(c.toJson()));
    return new JsonObject().put("port", port).put("certificates", certs).put("redirect", redirect)
      .put("redirectPort", redirectPort).put("hsts", hsts).put("reloadInterval", reloadInterval).put("http2", http2)
      .put("backendSsl", backendSsl).put("backendTrustFile", backendTrustFile)
      .put("backendVerifyHost", backendVerifyHost);
  }

  /** True when the HTTPS listener runs (at least one certificate). */
  public boolean enabled() {
    return !certificates.isEmpty();
  }

  public int getPort() { return port; }

  /** The HTTPS port (on the balancer's {@code host}); 0 picks a free one. */
  public TlsOptions setPort(int port) { this.port = Options.requireRange("tls.port", port, 0, 65535); return this; }

  public List<Certificate> getCertificates() { return certificates; }

  /** PEM certificate/key pairs; with several, SNI picks the one whose names match, the first is the default. */
  public TlsOptions setCertificates(List<Certificate> certificates) {
    this.certificates = new ArrayList<>(certificates);
    return this;
  }

  public boolean isRedirect() { return redirect; }

  /** Answer plain-HTTP requests with a 301 to the same URL over HTTPS (only when TLS is enabled). */
  public TlsOptions setRedirect(boolean redirect) { this.redirect = redirect; return this; }

  public int getRedirectPort() { return redirectPort; }

  /** The port redirects name, when clients reach HTTPS on another port than the listener's (NAT); 0 = the listener's. */
  public TlsOptions setRedirectPort(int v) { this.redirectPort = Options.requireRange("tls.redirectPort", v, 0, 65535); return this; }

  public String getHsts() { return hsts; }

  /** The Strict-Transport-Security value on HTTPS responses; empty sends none. */
  public TlsOptions setHsts(String hsts) { this.hsts = hsts == null ? "" : hsts.trim(); return this; }

  public int getReloadInterval() { return reloadInterval; }

  /** Ms between checks of the certificate files' modification times; 0 never reloads. */
  public TlsOptions setReloadInterval(int v) { this.reloadInterval = Options.requireRange("tls.reloadInterval", v, 0, 86_400_000); return this; }

  public boolean isHttp2() { return http2; }

  /** Offer HTTP/2 through ALPN on the HTTPS port (HTTP/1.1 is always offered). */
  public TlsOptions setHttp2(boolean http2) { this.http2 = http2; return this; }

  public boolean isBackendSsl() { return backendSsl; }

  /** Talk TLS to the backends (and their health checks) instead of plain HTTP. */
  public TlsOptions setBackendSsl(boolean backendSsl) { this.backendSsl = backendSsl; return this; }

  public String getBackendTrustFile() { return backendTrustFile; }

  /** PEM CA certificates the backends' certificates must chain to; empty uses the JVM's default trust store. */
  public TlsOptions setBackendTrustFile(String v) { this.backendTrustFile = v == null ? "" : v.trim(); return this; }

  public boolean isBackendVerifyHost() { return backendVerifyHost; }

  /** Check that a backend certificate names the backend's host. */
  public TlsOptions setBackendVerifyHost(boolean v) { this.backendVerifyHost = v; return this; }
}
