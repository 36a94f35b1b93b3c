package com.foobar.platform.lb;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/** Header rules of a reverse proxy: hop-by-hop headers stay on their hop, X-Forwarded-* say where a request came from. */
final class ForwardedHeaders {

  /** RFC 9110 section 7.6.1, plus the legacy Proxy-Connection. */
  private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
    "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade");

  private ForwardedHeaders() {
  }

  /** The headers to send to the backend: the client's, minus hop-by-hop, plus X-Forwarded-For/Proto/Host. */
  static MultiMap toBackend(HttpServerRequest request) {
    MultiMap headers = withoutHopByHop(request.headers());
    String client = request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
    String previous = request.headers().get("X-Forwarded-For");
    headers.set("X-Forwarded-For", previous == null || previous.isBlank() ? client : previous + ", " + client);
    headers.set("X-Forwarded-Proto", request.isSSL() ? "https" : "http");
    HostAndPort authority = request.authority();
    if (authority != null) {
      headers.set("X-Forwarded-Host", authority.port() > 0 ? authority.host() + ":" + authority.port()
        : authority.host());
    }
    return headers;
  }

  /** A copy of the headers without hop-by-hop ones, including those the Connection header names. */
  static MultiMap withoutHopByHop(MultiMap source) {
    Set<String> drop = new TreeSet<>(HOP_BY_HOP);
    for (String connection : source.getAll("Connection")) {
      for (String token : connection.split(",")) {
        drop.add(token.trim().toLowerCase(Locale.ROOT));
      }
    }
    MultiMap copy = MultiMap.caseInsensitiveMultiMap();
    source.forEach(entry -> {
      if (!drop.contains(entry.getKey().toLowerCase(Locale.ROOT))) {
        copy.add(entry.getKey(), entry.getValue());
      }
    });
    return copy;
  }
}
