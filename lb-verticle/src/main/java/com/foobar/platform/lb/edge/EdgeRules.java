package com.foobar.platform.lb.edge;

import io.vertx.core.http.HttpServerRequest;

import java.util.function.IntSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rules applied at the edge, before anything reaches a backend: HSTS on HTTPS, the address lists, the HTTPS
 * redirect and the client's rate limit. The client's address is worked out only when a rule needs it: under the
 * default rules (writes limited, no address lists) a read costs a look at its method. {@code httpsPort} is the
 * HTTPS listener's actual port, for redirects (-1 while TLS is off).
 */
public record EdgeRules(Firewalls firewalls, TlsOptions tls, IntSupplier httpsPort) {

  /** Where a certificate authority looks for its HTTP-01 token: it must stay reachable over plain HTTP. */
  static final String ACME_CHALLENGE = "/.well-known/acme-challenge/";
  /** A Host header: a DNS name, an IPv4 address or a bracketed IPv6 one, and an optional port (RFC 9110 7.2). */
  private static final Pattern HOST = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}"
    + "[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?)(?::[0-9]{1,5})?");

  /** Sets HSTS, then says why the request may not go on, or null when it may. */
  public Refusal check(HttpServerRequest request) {
    hsts(request);
    Firewall firewall = firewalls.current();
    int rule = firewall.rule(request.method(), request.path());
    String ip = rule >= 0 || firewall.filtersAddresses() ? firewall.clientAddress().of(request) : null;
    if (!firewall.admits(ip)) {
      return new Refusal.Denied();
    }
    if (redirects(request)) {
      String location = httpsLocation(request);
      return location == null ? new Refusal.BadHost(request.getHeader("Host")) : new Refusal.HttpsRequired(location);
    }
    return firewall.checkRate(ip, rule);
  }

  /** Plain HTTP under {@code plainHttp: redirect}, but for the ACME challenge path. */
  private boolean redirects(HttpServerRequest request) {
    return !request.isSSL() && tls.redirect() && httpsPort.getAsInt() > 0
      && (request.path() == null || !request.path().startsWith(ACME_CHALLENGE));
  }

  /** Strict-Transport-Security on every HTTPS response, when configured. */
  public void hsts(HttpServerRequest request) {
    if (request.isSSL() && !tls.hsts().isEmpty()) {
      request.response().headers().set("Strict-Transport-Security", tls.hsts());
    }
  }

  /**
   * The same host, path and query over HTTPS (the Host without its port, then the HTTPS port unless 443), or null
   * when the client named no usable host: a redirect must never send a visitor to a host the balancer made up.
   */
  static String httpsLocation(HttpServerRequest request, int port) {
    String host = request.getHeader("Host");
    Matcher valid = host == null || host.length() > 261 ? null : HOST.matcher(host);
    if (valid == null || !valid.matches()) {
      return null;
    }
    String uri = request.uri().startsWith("/") ? request.uri() : pathAndQuery(request);
    return "https://" + valid.group(1) + (port == 443 ? "" : ":" + port) + uri;
  }

  private String httpsLocation(HttpServerRequest request) {
    return httpsLocation(request, tls.redirectPort() > 0 ? tls.redirectPort() : httpsPort.getAsInt());
  }

  /** An absolute-form request target ({@code GET http://host/path}): only its path and query are kept. */
  private static String pathAndQuery(HttpServerRequest request) {
    String path = request.path() == null || request.path().isEmpty() ? "/" : request.path();
    return request.query() == null ? path : path + "?" + request.query();
  }
}
