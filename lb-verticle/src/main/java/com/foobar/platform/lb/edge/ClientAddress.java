package com.foobar.platform.lb.edge;

import io.netty.util.NetUtil;
import io.vertx.core.http.HttpServerRequest;

import java.util.List;

/**
 * Who a request is from, for the firewall's lists and limits: the TCP peer, unless the peer is a trusted proxy
 * ({@code firewall.trustedProxies}). Then the client is the rightmost address in {@code X-Forwarded-For} that is
 * not itself a trusted proxy (nginx's {@code real_ip_recursive on}): each trusted hop appends the address it
 * saw, and everything left of the first untrusted address was written by the client and proves nothing. A
 * malformed entry ends the walk at the last address known good. With no trusted proxies nothing is parsed and
 * a client's {@code X-Forwarded-For} changes nothing.
 */
final class ClientAddress {

  private static final String HEADER = "X-Forwarded-For";

  private final List<Cidr> trusted;

  ClientAddress(List<Cidr> trusted) {
    this.trusted = trusted;
  }

  /** The request's client address, as a literal (normalised when it came from a header). */
  String of(HttpServerRequest request) {
    String peer = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
    if (!trusted(peer)) {
      return peer;
    }
    List<String> headers = request.headers().getAll(HEADER);
    String client = peer;
    for (int h = headers.size() - 1; h >= 0; h--) {
      String[] hops = headers.get(h).split(",");
      for (int i = hops.length - 1; i >= 0; i--) {
        byte[] address = Cidr.literal(withoutPort(hops[i].strip()));
        if (address == null) {
          return client;
        }
        client = NetUtil.bytesToIpAddress(address);
        if (!contains(address)) {
          return client;
        }
      }
    }
    return client;
  }

  /** True when {@code ip} (a literal) is a trusted proxy. */
  boolean trusted(String ip) {
    return !trusted.isEmpty() && ip != null && contains(Cidr.literal(ip));
  }

  private boolean contains(byte[] address) {
    for (Cidr cidr : trusted) {
      if (cidr.contains(address)) {
        return true;
      }
    }
    return false;
  }

  /** {@code 192.0.2.7:4711} and {@code [2001:db8::7]:4711} as some proxies write them, without the port. */
  private static String withoutPort(String hop) {
    if (hop.startsWith("[")) {
      int end = hop.indexOf(']');
      return end < 0 ? hop : hop.substring(1, end);
    }
    int colon = hop.indexOf(':');
    return colon > 0 && colon == hop.lastIndexOf(':') ? hop.substring(0, colon) : hop;
  }
}
