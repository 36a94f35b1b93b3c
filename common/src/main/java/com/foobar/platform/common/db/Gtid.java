package com.foobar.platform.common.db;

/**
 * One MariaDB global transaction id, {@code domain-server-sequence}. With {@code gtid_strict_mode} the sequence
 * numbers of a replication domain only grow, whichever server wrote them, so within a domain a history is a
 * line and "later" is "higher sequence".
 */
public record Gtid(long domain, long server, long sequence) {

  /** Parses {@code 0-1-42}; fails on anything else. */
  public static Gtid parse(String text) {
    String[] parts = text.trim().split("-");
    if (parts.length != 3) {
      throw new IllegalArgumentException("not a GTID (domain-server-sequence): " + text);
    }
    try {
      return new Gtid(Long.parseLong(parts[0]), Long.parseLong(parts[1]), Long.parseLong(parts[2]));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a GTID (domain-server-sequence): " + text, e);
    }
  }

  @Override
  public String toString() {
    return domain + "-" + server + "-" + sequence;
  }
}
