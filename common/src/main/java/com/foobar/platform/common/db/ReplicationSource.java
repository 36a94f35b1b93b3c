package com.foobar.platform.common.db;

/** Where a follower fetches from, with the replication account ({@code foobar_repl}). */
public record ReplicationSource(String host, int port, String user, String password) {

  /** The replication account, to point followers at whichever node writes. */
  public record Account(String user, String password) {

    /** {@code writer}'s address ({@code host:port}, as its followers reach it) with this account. */
    public ReplicationSource from(Member writer) {
      int colon = writer.address().lastIndexOf(':');
      return new ReplicationSource(writer.address().substring(0, colon),
        Integer.parseInt(writer.address().substring(colon + 1)), user, password);
    }
  }

  @Override
  public String toString() {
    return host + ":" + port + " as " + user;
  }
}
