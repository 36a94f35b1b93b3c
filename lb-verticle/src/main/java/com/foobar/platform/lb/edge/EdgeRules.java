package com.foobar.platform.lb.edge;

import io.vertx.core.http.HttpServerRequest;

import java.util.function.IntSupplier;

/**
 * The rules applied at the edge, before anything reaches a backend: HSTS on HTTPS, the address lists, the HTTPS
 * redirect and the client's rate limit. The client's address is worked out only when a rule needs it: under the
 * default rules (writes limited, no address lists) a read costs a look at its method.
 */
public final class EdgeRules {

  private final Firewalls firewalls;
  private final TlsOptions tls;
  /** The balancer's own host, for redirects of requests that named none. */
  private final String host;
  /** The HTTPS listener's actual port, for redirects (-1 while TLS is off). */
  private final IntSupplier httpsPort;

  public EdgeRules(Firewalls firewalls, TlsOptions tls, String host, IntSupplier httpsPort) {
    this.firewalls = firewalls;
    this.tls = tls;
    this.host = host;
    this.httpsPort = httpsPort;
  }

  /** Sets HSTS, then says why the request may not go on, or null when it may. */
  public Refusal check(HttpServerRequest request) {
    hsts(request);
    Firewall firewall = firewalls.current();
    int rule = firewall.rule(request.method(), request.path());
    String ip = rule >= 0 || firewall.filtersAddresses() ? firewall.clientAddress().of(request) : null;
    if (!firewall.admits(ip)) {
      return new Refusal.Denied();
    }
    if (!request.isSSL() && tls.redirect() && httpsPort.getAsInt() > 0) {
      return new Refusal.HttpsRequired(httpsLocation(request));
    }
    return firewall.checkRate(ip, rule);
  }

  /** Strict-Transport-Security on every HTTPS response, when configured. */
  public void hsts(HttpServerRequest request) {
    if (request.isSSL() && !tls.hsts().isEmpty()) {
      request.response().headers().set("Strict-Transport-Security", tls.hsts());
    }
  }

  /** The same host and URI over HTTPS (the host without its port, then the HTTPS port unless 443). */
  private String httpsLocation(HttpServerRequest request) {
    int port = tls.redirectPort() > 0 ? tls.redirectPort() : httpsPort.getAsInt();
    String name = request.authority() == null ? host : request.authority().host();
    if (name.contains(":") && !name.startsWith("[")) {
      name = "[" + name + "]";
    }
    return "https://" + name + (port == 443 ? "" : ":" + port) + request.uri();
  }
}
