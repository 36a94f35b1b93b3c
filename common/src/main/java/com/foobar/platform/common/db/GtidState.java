package com.foobar.platform.common.db;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a node's history holds, as MariaDB reports it: the last GTID of every (domain, server) pair
 * ({@code @@gtid_binlog_state}), possibly merged with a replication position ({@code @@gtid_slave_pos},
 * {@code @@gtid_current_pos}: one GTID per domain). Containment is decided pair by pair: history A contains B
 * when A has, for every server B has transactions of, at least as far in the same domain. With strict GTID mode
 * and a single writer at a time this is exact for the nodes of one replication topology.
 */
public final class GtidState {

  public static final GtidState EMPTY = new GtidState(Map.of());

  /** (domain, server) -> last sequence. */
  private final Map<Key, Long> last;

  private record Key(long domain, long server) implements Comparable<Key> {
    @Override
    public int compareTo(Key other) {
      int byDomain = Long.compare(domain, other.domain);
      return byDomain != 0 ? byDomain : Long.compare(server, other.server);
    }
  }

  private GtidState(Map<Key, Long> last) {
    this.last = Collections.unmodifiableMap(new TreeMap<>(last));
  }

  /** Parses a comma separated GTID list ({@code "0-1-5,0-2-9"}); null or blank is empty. */
  public static GtidState parse(String text) {
    if (text == null || text.isBlank()) {
      return EMPTY;
    }
    Map<Key, Long> last = new TreeMap<>();
    for (String part : text.split(",")) {
      if (!part.isBlank()) {
        Gtid gtid = Gtid.parse(part);
        last.merge(new Key(gtid.domain(), gtid.server()), gtid.sequence(), Math::max);
      }
    }
    return new GtidState(last);
  }

  public static GtidState of(List<Gtid> gtids) {
    Map<Key, Long> last = new TreeMap<>();
    gtids.forEach(gtid -> last.merge(new Key(gtid.domain(), gtid.server()), gtid.sequence(), Math::max));
    return new GtidState(last);
  }

  public boolean isEmpty() {
    return last.isEmpty();
  }

  /** Every (domain, server) pair with its last GTID. */
  public List<Gtid> gtids() {
    List<Gtid> gtids = new ArrayList<>();
    last.forEach((key, sequence) -> gtids.add(new Gtid(key.domain, key.server, sequence)));
    return gtids;
  }

  /** Both histories together: per pair the later GTID. */
  public GtidState merge(GtidState other) {
    Map<Key, Long> merged = new TreeMap<>(last);
    other.last.forEach((key, sequence) -> merged.merge(key, sequence, Math::max));
    return new GtidState(merged);
  }

  /** The last GTID of each domain: what {@code @@gtid_binlog_pos} shows, and where a replica resumes. */
  public GtidState position() {
    Map<Long, Gtid> byDomain = new TreeMap<>();
    for (Gtid gtid : gtids()) {
      byDomain.merge(gtid.domain(), gtid, (a, b) -> a.sequence() >= b.sequence() ? a : b);
    }
    return of(new ArrayList<>(byDomain.values()));
  }

  /** The last sequence number of {@code domain}, -1 when the history has none there. */
  public long sequence(long domain) {
    return last.entrySet().stream().filter(e -> e.getKey().domain == domain).mapToLong(Map.Entry::getValue)
      .max().orElse(-1);
  }

  /** True when this history holds every transaction {@code other} holds. */
  public boolean contains(GtidState other) {
    return other.missingFrom(this).isEmpty();
  }

  /** The transactions this history holds that {@code other} lacks, per (domain, server). */
  public List<GtidRange> missingFrom(GtidState other) {
    List<GtidRange> missing = new ArrayList<>();
    last.forEach((key, sequence) -> {
      Long theirs = other.last.get(key);
      if (theirs == null || sequence > theirs) {
        // A server the other history has nothing of: all of it is missing. The range starts after the point both
        // histories reached together, which is where such a tail can begin (it only names the GTIDs).
        long after = theirs != null ? theirs : Math.min(sharedUpTo(other, key.domain), sequence - 1);
        missing.add(new GtidRange(key.domain, key.server, after + 1, sequence));
      }
    });
    return missing;
  }

  /** The highest sequence of {@code domain} both histories hold of a server they both have transactions of. */
  private long sharedUpTo(GtidState other, long domain) {
    long shared = 0;
    for (Map.Entry<Key, Long> entry : last.entrySet()) {
      Long theirs = other.last.get(entry.getKey());
      if (entry.getKey().domain == domain && theirs != null) {
        shared = Math.max(shared, Math.min(theirs, entry.getValue()));
      }
    }
    return shared;
  }

  /**
   * The transactions this history holds after {@code fork} (one position per domain): where a history that
   * stopped following a writer at {@code fork} went on by itself.
   */
  public List<GtidRange> beyond(GtidState fork) {
    List<GtidRange> beyond = new ArrayList<>();
    last.forEach((key, sequence) -> {
      long forkedAt = fork.sequence(key.domain);
      if (sequence > Math.max(forkedAt, 0)) {
        beyond.add(new GtidRange(key.domain, key.server, Math.max(forkedAt, 0) + 1, sequence));
      }
    });
    return beyond;
  }

  /** The comma separated form MariaDB reads and writes. */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder();
    gtids().forEach(gtid -> text.append(text.length() == 0 ? "" : ",").append(gtid));
    return text.toString();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof GtidState state && state.last.equals(last);
  }

  @Override
  public int hashCode() {
    return Objects.hash(last);
  }
}
