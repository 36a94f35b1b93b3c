package com.foobar.platform.lb.edge;

import io.netty.util.NetUtil;

import java.util.Arrays;

/**
 * An IPv4 or IPv6 network in CIDR notation ({@code 10.0.0.0/8}, {@code 2001:db8::/32}; a bare address is a
 * /32 or /128). IPv4-mapped IPv6 addresses ({@code ::ffff:10.1.2.3}) match IPv4 networks, as a dual-stack socket
 * reports IPv4 clients that way. Only literals are accepted: no DNS look-up ever happens here. {@code text} is
 * the notation it was parsed from, for the configuration to write back.
 */
record Cidr(byte[] network, int prefix, String text) {

  static Cidr parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("empty address");
    }
    String value = text.trim();
    int slash = value.indexOf('/');
    String address = slash < 0 ? value : value.substring(0, slash);
    byte[] bytes = literal(address);
    if (bytes == null) {
      throw new IllegalArgumentException("'" + value + "' is not an IPv4 or IPv6 address or CIDR");
    }
    int prefix = bytes.length * 8;
    if (slash >= 0) {
      try {
        prefix = Integer.parseInt(value.substring(slash + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'" + value + "' has no valid prefix length");
      }
      if (prefix < 0 || prefix > bytes.length * 8) {
        throw new IllegalArgumentException("'" + value + "' has a prefix length out of range");
      }
    }
    return new Cidr(bytes, prefix, value);
  }

  /**
   * The bytes of an address literal (IPv4-mapped IPv6 as IPv4), or null when it is not one. Netty's parser: no
   * regular expression, no {@code InetAddress}, no DNS, cheap enough for a request path.
   */
  static byte[] literal(String address) {
    if (address == null) {
      return null;
    }
    byte[] bytes = NetUtil.createByteArrayFromIpAddressString(address);
    if (bytes == null) {
      return null;
    }
    return bytes.length == 16 && isV4Mapped(bytes) ? Arrays.copyOfRange(bytes, 12, 16) : bytes;
  }

  private static boolean isV4Mapped(byte[] b) {
    for (int i = 0; i < 10; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
  }

  boolean contains(byte[] address) {
    if (address == null || address.length != network.length) {
      return false;
    }
    int full = prefix / 8;
    for (int i = 0; i < full; i++) {
      if (address[i] != network[i]) {
        return false;
      }
    }
    int rest = prefix % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xff << (8 - rest)) & 0xff;
    return (address[full] & mask) == (network[full] & mask);
  }
}
