package com.foobar.platform.app.db;

import com.foobar.platform.common.DatabaseSecrets;
import com.foobar.platform.common.db.DatabaseNodeOptions;
import com.foobar.platform.common.db.NodeStatus;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.mysqlclient.MySQLConnectOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The database nodes this server knows and which of them writes: the configured ones, then those learned from the
 * cluster's directory. The writer is the one node whose {@code read_only} is off (at start, the configured primary),
 * so a promoted replica takes the writes without a restart; with two writable nodes, writes are refused rather than
 * split. Every check judges the nodes with the platform's one election ({@link ErrantNodes}).
 */
final class DatabaseNodes {

  /** Copy-on-write: a node may join or leave while requests iterate. */
  private final List<DatabaseNode> nodes = new CopyOnWriteArrayList<>();
  private final List<DatabaseNode> configuredReplicas = new ArrayList<>();
  private final Set<DatabaseNode> learned = ConcurrentHashMap.newKeySet();
  private final Vertx vertx;
  private final DatabaseSettings settings;
  private final String password;
  private final MeterRegistry registry;
  private volatile DatabaseNode writer;
  private volatile String writesRefused;
  private Future<String> refreshing;

  DatabaseNodes(Vertx vertx, DatabaseSettings settings, String password, MeterRegistry registry) {
    this.vertx = vertx;
    this.settings = settings;
    this.password = password;
    this.registry = registry;
    this.writer = node("primary", settings.primary());
    nodes.add(writer);
    for (MySQLConnectOptions replica : settings.replicas()) {
      DatabaseNode node = node("replica-" + (configuredReplicas.size() + 1), replica);
      nodes.add(node);
      configuredReplicas.add(node);
    }
  }

  private DatabaseNode node(String name, MySQLConnectOptions connect) {
    return new DatabaseNode(vertx, name, DatabaseSecrets.withPassword(connect, password), settings, registry);
  }

  DatabaseNode writer() {
    return writer;
  }

  /** Why writes are refused now, or null when they are not. */
  String writesRefused() {
    return writesRefused;
  }

  List<DatabaseNode> all() {
    return nodes;
  }

  List<DatabaseNode> configuredReplicas() {
    return configuredReplicas;
  }

  /**
   * Checks every node and picks the writer; returns a description of a change, or null when none. Callers
   * arriving while a check is under way share it.
   */
  synchronized Future<String> refresh() {
    if (refreshing == null) {
      Future<String> check = checkAll(nodes)
        .compose(done -> checkAll(nodes.stream().filter(node -> node.status().writable()).toList()))
        .map(done -> {
          ErrantNodes.judge(nodes, writer);
          return chooseWriter();
        });
      refreshing = check;
      check.onComplete(done -> clearRefreshing(check));
    }
    return refreshing;
  }

  /** The writable nodes are checked once more, last: a replica may apply what a writer committed after it was read. */
  private static Future<Void> checkAll(List<DatabaseNode> some) {
    List<Future<NodeStatus>> checks = new ArrayList<>();
    some.forEach(node -> checks.add(node.check()));
    return Future.join(checks).otherwiseEmpty().mapEmpty();
  }

  private synchronized void clearRefreshing(Future<String> done) {
    if (refreshing == done) {
      refreshing = null;
    }
  }

  private String chooseWriter() {
    List<DatabaseNode> writable = nodes.stream().filter(node -> node.state().reachable() && node.state().writable())
      .toList();
    String before = describeWriter();
    if (writable.size() > 1) {
      writesRefused = "two writable database nodes (" + writable.stream().map(DatabaseNode::name).toList()
        + "): writes are refused until one is fenced";
    } else {
      writesRefused = null;
      if (writable.size() == 1) {
        writer = writable.get(0);
      }
    }
    String after = describeWriter();
    return before.equals(after) ? null : after;
  }

  private String describeWriter() {
    return writesRefused != null ? writesRefused : "writer is " + writer.name() + " (" + writer.address() + ")";
  }

  /**
   * Adds a node this server was not configured with (announced in the cluster's directory), with the same
   * account as the primary; its first check, now, decides what it may serve. Returns false when a node with
   * that address exists already.
   */
  Future<Boolean> learn(String name, String host, int port) {
    String address = DatabaseNodeOptions.address(host, port);
    if (nodes.stream().anyMatch(node -> node.address().equals(address))) {
      return Future.succeededFuture(false);
    }
    String unique = nodes.stream().anyMatch(node -> node.name().equals(name)) ? "db-" + address : name;
    DatabaseNode node = node(unique, new MySQLConnectOptions(settings.primary()).setHost(host).setPort(port));
    return node.check().map(status -> {
      node.judged(null);
      nodes.add(node);
      learned.add(node);
      return true;
    });
  }

  /**
   * Removes the learned nodes whose address is not in {@code announced} (their directory entries expired);
   * never a configured node and never the writer. Returns the names removed.
   */
  List<String> forget(Set<String> announced) {
    List<String> gone = new ArrayList<>();
    for (DatabaseNode node : learned) {
      if (!announced.contains(node.address()) && node != writer) {
        learned.remove(node);
        nodes.remove(node);
        node.close();
        gone.add(node.name());
      }
    }
    return gone;
  }

  JsonObject describe() {
    JsonObject json = new JsonObject().put("writer", writer.name()).put("writesRefused", writesRefused);
    nodes.forEach(node -> json.put(node.name(), node.state().toJson().put("address", node.address())
      .put("learned", learned.contains(node))));
    return json;
  }

  Future<Void> close() {
    List<Future<Void>> closing = new ArrayList<>();
    nodes.forEach(node -> closing.add(node.close()));
    return Future.join(closing).mapEmpty();
  }
}
