package com.foobar.platform.system;

import com.foobar.platform.app.AppVerticle;
import com.foobar.platform.lb.LoadBalancerVerticle;
import com.foobar.platform.testing.Await;
import com.foobar.platform.testing.MariaDbPair;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The design's topology on ephemeral ports: a balancer over two application servers, each server in its own
 * Vert.x instance (as two machines would be), over the shared real MariaDB primary and replica.
 */
final class Topology implements AutoCloseable {

  final MariaDbPair pair = MariaDbPair.shared();
  final Vertx[] servers = {Vertx.vertx(), Vertx.vertx()};
  final AppVerticle[] apps = {new AppVerticle(), new AppVerticle()};
  final Vertx edge = Vertx.vertx();
  final LoadBalancerVerticle balancer = new LoadBalancerVerticle();

  Topology() {
    for (int i = 0; i < 2; i++) {
      Await.result(servers[i].deployVerticle(apps[i], new DeploymentOptions().setConfig(appConfig("app-" + (i + 1)))));
    }
    JsonObject lb = new JsonObject()
      .put("port", 0)
      .put("management", new JsonObject().put("port", 0))
      .put("backends", new JsonArray().add("127.0.0.1:" + apps[0].actualPort()).add("127.0.0.1:" + apps[1].actualPort()))
      .put("healthCheckInterval", 200);
    Await.result(edge.deployVerticle(balancer, new DeploymentOptions().setConfig(lb)));
  }

  private JsonObject appConfig(String name) {
    return new JsonObject()
      .put("name", name)
      .put("port", 0)
      .put("management", new JsonObject().put("port", 0))
      .put("primary", new JsonObject().put("host", "127.0.0.1").put("port", pair.primaryPort()))
      .put("replicas", new JsonArray().add(new JsonObject().put("host", "127.0.0.1").put("port", pair.replicaPort())))
      .put("passwordFile", pair.secret("app").toString());
  }

  /** Stops one application server the hard way: its whole Vert.x instance, connections and all. */
  void crash(int server) {
    Await.result(servers[server].close());
  }

  @Override
  public void close() {
    Await.result(edge.close());
    for (Vertx server : servers) {
      Await.result(server.close());
    }
  }
}
