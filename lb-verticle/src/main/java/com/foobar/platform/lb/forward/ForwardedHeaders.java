package com.foobar.platform.lb.forward;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Header rules of a reverse proxy: hop-by-hop headers stay on their hop, X-Forwarded-* say where a request came
 * from. Headers are copied straight into the outgoing request or response: this runs twice per request, so it
 * allocates nothing unless a Connection header names extra hop-by-hop headers.
 */
final class ForwardedHeaders {

  /** RFC 9110 section 7.6.1, plus the legacy Proxy-Connection. */
  private static final String[] HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate",
    "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade"};

  private ForwardedHeaders() {
  }

  /**
   * Adds to {@code target} the headers to send to the backend: the client's minus hop-by-hop ones, plus
   * X-Forwarded-For (appended to the client's), X-Forwarded-Proto and X-Forwarded-Host.
   */
  static void toBackend(HttpServerRequest request, MultiMap target) {
    MultiMap source = request.headers();
    copyWithoutHopByHop(source, target);
    String client = request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
    String previous = source.get("X-Forwarded-For");
    target.set("X-Forwarded-For", previous == null || previous.isBlank() ? client : previous + ", " + client);
    target.set("X-Forwarded-Proto", request.isSSL() ? "https" : "http");
    HostAndPort authority = request.authority();
    if (authority != null) {
      target.set("X-Forwarded-Host", authority.port() > 0 ? authority.host() + ":" + authority.port()
        : authority.host());
    }
  }

  /** Adds to {@code target} every header of {@code source} but hop-by-hop ones and those Connection names. */
  static void copyWithoutHopByHop(MultiMap source, MultiMap target) {
    List<String> named = namedByConnection(source);
    for (Map.Entry<String, String> header : source) {
      String name = header.getKey();
      if (!isHopByHop(name) && (named == null || !containsIgnoreCase(named, name))) {
        target.add(name, header.getValue());
      }
    }
  }

  /** The extra header names the Connection header lists (beyond close and keep-alive), or null. */
  private static List<String> namedByConnection(MultiMap source) {
    List<String> named = null;
    for (String connection : source.getAll(HttpHeaders.CONNECTION)) {
      for (String token : connection.split(",")) {
        String name = token.trim();
        if (!name.isEmpty() && !name.equalsIgnoreCase("close") && !isHopByHop(name)) {
          if (named == null) {
            named = new ArrayList<>(2);
          }
          named.add(name);
        }
      }
    }
    return named;
  }

  private static boolean isHopByHop(String name) {
    for (String hop : HOP_BY_HOP) {
      if (hop.length() == name.length() && hop.equalsIgnoreCase(name)) {
        return true;
      }
    }
    return false;
  }

  private static boolean containsIgnoreCase(List<String> names, String name) {
    for (String candidate : names) {
      if (candidate.equalsIgnoreCase(name)) {
        return true;
      }
    }
    return false;
  }
}
