package com.foobar.platform.lb;

import com.foobar.platform.common.HttpStatusException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

import java.util.function.IntSupplier;

/**
 * The rules applied at the edge, before anything reaches a backend: HSTS on HTTPS, the address lists (403),
 * the HTTPS redirect (301) and the client's rate limit (429).
 */
final class EdgeRules {

  private final Balancer balancer;
  private final LoadBalancerOptions options;
  private final Replies replies;
  /** The HTTPS listener's actual port, for redirects (-1 while TLS is off). */
  private final IntSupplier httpsPort;

  EdgeRules(Balancer balancer, Replies replies, IntSupplier httpsPort) {
    this.balancer = balancer;
    this.options = balancer.options;
    this.replies = replies;
    this.httpsPort = httpsPort;
  }

  /**
   * Applies the rules; true when the request was answered here. The client's address is worked out only when a
   * rule needs it: under the default rules (writes limited, no address lists) a read costs a look at its method.
   */
  boolean answered(Forward forward) {
    HttpServerRequest request = forward.request;
    hsts(request);
    Firewall firewall = balancer.firewall;
    int rule = firewall.rule(request.method(), request.path());
    String ip = rule >= 0 || firewall.filtersAddresses() ? firewall.clientAddress().of(request) : null;
    HttpStatusException refused = firewall.checkAddress(ip);
    if (refused == null && !request.isSSL() && options.getTls().isRedirect() && httpsPort.getAsInt() > 0) {
      redirectToHttps(forward);
      return true;
    }
    if (refused == null) {
      refused = firewall.checkRate(ip, rule);
    }
    if (refused == null) {
      return false;
    }
    replies.refuse(forward, refused, refused.status() == 403 ? "forbidden_address" : "rate_limited");
    return true;
  }

  /** Strict-Transport-Security on every HTTPS response, when configured. */
  void hsts(HttpServerRequest request) {
    if (request.isSSL() && !options.getTls().getHsts().isEmpty()) {
      request.response().headers().set("Strict-Transport-Security", options.getTls().getHsts());
    }
  }

  /** 301 to the same host and URI over HTTPS (the host without its port, then the HTTPS port unless 443). */
  private void redirectToHttps(Forward forward) {
    HttpServerRequest request = forward.request;
    int port = options.getTls().getRedirectPort() > 0 ? options.getTls().getRedirectPort() : httpsPort.getAsInt();
    String host = request.authority() == null ? options.getHost() : request.authority().host();
    if (host.contains(":") && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    String location = "https://" + host + (port == 443 ? "" : ":" + port) + request.uri();
    balancer.metrics.rejected("https_redirect");
    if (Replies.hasBody(request)) {
      request.response().putHeader(HttpHeaders.CONNECTION, "close");
      forward.closeAfterEnd = true;
    }
    request.response().setStatusCode(301).putHeader(HttpHeaders.LOCATION, location)
      .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
      .end(new JsonObject().put("error", "https_required").put("location", location).encode());
  }
}
