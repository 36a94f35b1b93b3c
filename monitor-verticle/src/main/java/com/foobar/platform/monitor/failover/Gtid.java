package com.foobar.platform.monitor.failover;

import java.util.HashMap;
import java.util.Map;

/** MariaDB GTID positions ({@code domain-server-sequence}, comma separated): which node is more advanced. */
final class Gtid {

  private Gtid() {
  }

  /** Sequence number per replication domain. */
  static Map<Long, Long> sequences(String position) {
    Map<Long, Long> byDomain = new HashMap<>();
    if (position == null || position.isBlank()) {
      return byDomain;
    }
    for (String gtid : position.split(",")) {
      String[] parts = gtid.trim().split("-");
      if (parts.length == 3) {
        byDomain.merge(Long.parseLong(parts[0]), Long.parseLong(parts[2]), Math::max);
      }
    }
    return byDomain;
  }

  /** True when {@code position} has applied everything in {@code target}, domain by domain. */
  static boolean covers(String position, String target) {
    Map<Long, Long> have = sequences(position);
    return sequences(target).entrySet().stream()
      .allMatch(wanted -> have.getOrDefault(wanted.getKey(), -1L) >= wanted.getValue());
  }

  /** The total of the sequences: for ranking candidates that all followed the same primary. */
  static long progress(String position) {
    return sequences(position).values().stream().mapToLong(Long::longValue).sum();
  }
}
