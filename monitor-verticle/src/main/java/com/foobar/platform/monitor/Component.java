package com.foobar.platform.monitor;

import io.vertx.core.json.JsonObject;

/**
 * One thing the monitor reports on. {@code kind} is balancer, server, database or replication; {@code role}
 * (primary or replica) is set for databases and replication; {@code node} names the database node a
 * replication component belongs to.
 */
record Component(String name, String kind, String role, String node) {

  static final String BALANCER = "balancer";
  static final String SERVER = "server";
  static final String DATABASE = "database";
  static final String REPLICATION = "replication";
  static final String PRIMARY = "primary";
  static final String REPLICA = "replica";

  static Component balancer(String name) {
    return new Component(name, BALANCER, null, null);
  }

  static Component server(String name) {
    return new Component(name, SERVER, null, null);
  }

  static Component primary() {
    return new Component(PRIMARY, DATABASE, PRIMARY, PRIMARY);
  }

  /** The n-th replica (from 1), named as the app names its pools: replica-1, replica-2, ... */
  static Component replica(int n) {
    String name = REPLICA + "-" + n;
    return new Component(name, DATABASE, REPLICA, name);
  }

  /** The synthetic end-to-end probe through the balancer's public URL, as a user sees the site. */
  static Component synthetic() {
    return new Component(SyntheticProbe.NAME, SyntheticProbe.KIND, null, null);
  }

  /** The replication stream into a replica, a component of its own: the node can answer while it is broken. */
  static Component replicationOf(Component replica) {
    return new Component(REPLICATION + "-" + replica.name(), REPLICATION, REPLICA, replica.name());
  }

  JsonObject toJson() {
    JsonObject json = new JsonObject().put("name", name).put("kind", kind);
    if (role != null) {
      json.put("role", role);
    }
    if (REPLICATION.equals(kind)) {
      json.put("node", node);
    }
    return json;
  }
}
