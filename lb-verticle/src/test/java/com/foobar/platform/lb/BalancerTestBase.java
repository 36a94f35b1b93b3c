package com.foobar.platform.lb;

import com.foobar.platform.testing.Await;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.junit.jupiter.api.AfterEach;

import java.util.LinkedHashMap;
import java.util.Map;

/** Deploys the balancer in front of real backends on ephemeral ports and talks to its two ports. */
public abstract class BalancerTestBase {

  /** The management token of the balancers these tests run (in this JVM: the system property). */
  protected static final String TOKEN = "test-management-token";

  static {
    System.setProperty(com.foobar.platform.common.ManagementToken.PROPERTY, TOKEN);
  }

  protected Vertx vertx;
  protected LoadBalancerVerticle balancer;
  protected WebClient client;
  protected WebClient admin;

  protected void deploy(JsonArray backends, JsonObject extra) {
    JsonObject config = new JsonObject()
      .put("port", 0)
      .put("management", new JsonObject().put("port", 0))
      .put("backends", backends)
      .put("healthCheckIntervalMs", 100)
      .put("healthCheckTimeoutMs", 200)
      .put("backendTimeoutMs", 3000)
      .put("slowStartMs", 0)
      .mergeIn(extra);
    balancer = new LoadBalancerVerticle();
    Await.result(vertx.deployVerticle(balancer, new DeploymentOptions().setConfig(config)));
    client = WebClient.create(vertx, new WebClientOptions().setDefaultPort(balancer.actualPort()));
    admin = managementClient(vertx, balancer.managementPort());
  }

  /** A client of the management port that sends the management token. */
  protected static WebClient managementClient(Vertx vertx, int port) {
    return io.vertx.ext.web.client.WebClientSession.create(WebClient.create(vertx,
        new WebClientOptions().setDefaultPort(port)))
      .addHeader("Authorization", com.foobar.platform.common.ManagementToken.bearer(TOKEN));
  }

  @AfterEach
  protected void closeClients() {
    if (client != null) {
      client.close();
      admin.close();
    }
  }

  protected HttpResponse<Buffer> get(String uri) {
    return Await.result(client.get(uri).send());
  }

  protected JsonObject adminJson(String uri) {
    return Await.result(admin.get(uri).send()).bodyAsJsonObject();
  }

  /** Backend name to state, in configuration order. */
  protected Map<String, String> states() {
    Map<String, String> states = new LinkedHashMap<>();
    adminJson("/admin/backends").getJsonArray("backends")
      .forEach(b -> states.put(((JsonObject) b).getString("name"), ((JsonObject) b).getString("state")));
    return states;
  }

  protected HttpResponse<Buffer> put(String name, JsonObject body) {
    return Await.result(admin.put("/admin/backends/" + name).sendJsonObject(body));
  }
}
