package com.foobar.platform.monitor.probe;

import io.vertx.core.json.JsonObject;

/**
 * One thing the monitor reports on. {@code kind} is balancer, server, database, replication or e2e; {@code role}
 * (primary or replica) is set for databases and replication; {@code node} names the database node a
 * replication component belongs to.
 */
public record Component(String name, String kind, String role, String node) {

  public static final String BALANCER = "balancer";
  public static final String SERVER = "server";
  public static final String DATABASE = "database";
  public static final String REPLICATION = "replication";
  public static final String PRIMARY = "primary";
  public static final String REPLICA = "replica";
  /** The synthetic end-to-end probe: its name, and its kind. */
  public static final String SYNTHETIC = "synthetic";
  public static final String E2E = "e2e";

  public static Component balancer(String name) {
    return new Component(name, BALANCER, null, null);
  }

  public static Component server(String name) {
    return new Component(name, SERVER, null, null);
  }

  public static Component primary() {
    return new Component(PRIMARY, DATABASE, PRIMARY, PRIMARY);
  }

  /** The n-th replica (from 1), named as the app names its pools: replica-1, replica-2, ... */
  public static Component replica(int n) {
    String name = REPLICA + "-" + n;
    return new Component(name, DATABASE, REPLICA, name);
  }

  /** The synthetic end-to-end probe through the balancer's public URL, as a user sees the site. */
  public static Component synthetic() {
    return new Component(SYNTHETIC, E2E, null, null);
  }

  /** The replication stream into a replica, a component of its own: the node can answer while it is broken. */
  public static Component replicationOf(Component replica) {
    return new Component(REPLICATION + "-" + replica.name(), REPLICATION, REPLICA, replica.name());
  }

  /**
   * Whether a configured HTTP component may not take {@code name}: the database components and the synthetic
   * probe have it, and a name identifies a component everywhere (API, metrics labels, log lines).
   */
  public static boolean isReserved(String name) {
    return name.equals(PRIMARY) || name.startsWith(REPLICA + "-") || name.startsWith(REPLICATION + "-")
      || name.equals(SYNTHETIC);
  }

  public boolean isDatabase() {
    return DATABASE.equals(kind);
  }

  public boolean isReplication() {
    return REPLICATION.equals(kind);
  }

  public boolean isReplica() {
    return REPLICA.equals(role);
  }

  JsonObject toJson() {
    JsonObject json = new JsonObject().put("name", name).put("kind", kind);
    if (role != null) {
      json.put("role", role);
    }
    if (isReplication()) {
      json.put("node", node);
    }
    return json;
  }
}
