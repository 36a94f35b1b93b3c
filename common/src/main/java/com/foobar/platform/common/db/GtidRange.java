package com.foobar.platform.common.db;

/**
 * Transactions one node holds and another lacks, as MariaDB lets them be named without reading the binlog: the
 * GTIDs of {@code server} in {@code domain} with sequence numbers {@code from} to {@code to}. With one writer at
 * a time the sequences of such a tail are consecutive, so {@link #count()} is the number of transactions; after
 * several writers it is an upper bound.
 */
public record GtidRange(long domain, long server, long from, long to) {

  public long count() {
    return to - from + 1;
  }

  /** {@code 0-1-29..0-1-30}, or {@code 0-1-29} for one. */
  @Override
  public String toString() {
    String first = domain + "-" + server + "-" + from;
    return from == to ? first : first + ".." + domain + "-" + server + "-" + to;
  }
}
