package com.foobar.platform.app;

import com.foobar.platform.testing.Await;
import com.foobar.platform.testing.MariaDbPair;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** An app server on ephemeral ports over the shared test MariaDB pair. */
public final class AppTestServer {

  private final AppVerticle verticle = new AppVerticle();
  private final String deploymentId;

  public AppTestServer(Vertx vertx, String name, JsonObject extra) {
    MariaDbPair pair = MariaDbPair.shared();
    JsonObject config = new JsonObject()
      .put("name", name)
      .put("port", 0)
      .put("management", new JsonObject().put("port", 0))
      .put("primary", new JsonObject().put("host", "127.0.0.1").put("port", pair.primaryPort()))
      .put("replicas", new JsonArray().add(new JsonObject().put("host", "127.0.0.1").put("port", pair.replicaPort())))
      .put("passwordFile", pair.secret("app").toString())
      .put("warmUpMs", 0) // no test here measures warmth (bench/warm-start.sh does); WarmUpTest runs one
      .mergeIn(extra);
    deploymentId = Await.result(vertx.deployVerticle(verticle, new DeploymentOptions().setConfig(config)));
  }

  public int port() {
    return verticle.actualPort();
  }

  public String deploymentId() {
    return deploymentId;
  }

  public int managementPort() {
    return verticle.managementPort();
  }
}
