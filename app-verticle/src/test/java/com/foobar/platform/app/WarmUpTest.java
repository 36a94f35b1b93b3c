package com.foobar.platform.app;

import com.foobar.platform.testing.Await;
import com.foobar.platform.testing.MariaDbPair;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A starting server warms up before it says ready: its health check is down until then, and its API works. */
@ExtendWith(VertxExtension.class)
class WarmUpTest {

  @Test
  void theHealthCheckSaysWarmingUpUntilTheWarmUpIsOver(Vertx vertx) throws Exception {
    MariaDbPair pair = MariaDbPair.shared();
    int port = freePort();
    JsonObject config = new JsonObject().put("name", "warming").put("port", port)
      .put("management", new JsonObject().put("port", 0)).put("warmUpMs", 1500)
      .put("primary", new JsonObject().put("host", "127.0.0.1").put("port", pair.primaryPort()))
      .put("replicas", new JsonArray().add(new JsonObject().put("host", "127.0.0.1").put("port", pair.replicaPort())))
      .put("passwordFile", pair.secret("app").toString());
    WebClient client = WebClient.create(vertx);
    Future<String> deployed = vertx.deployVerticle(new AppVerticle(), new DeploymentOptions().setConfig(config));
    List<HttpResponse<Buffer>> whileStarting = new ArrayList<>();
    while (!deployed.isComplete()) {
      client.get(port, "127.0.0.1", "/healthz").send().onSuccess(whileStarting::add);
      Thread.sleep(100);
    }
    Await.result(deployed);
    assertThat(whileStarting).anySatisfy(answer -> {
      assertThat(answer.statusCode()).isEqualTo(503);
      assertThat(answer.getHeader("Retry-After")).isEqualTo("1");
      assertThat(answer.bodyAsJsonObject().getString("status")).isEqualTo("WARMING_UP");
    });
    HttpResponse<Buffer> ready = Await.result(client.get(port, "127.0.0.1", "/healthz").send());
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.bodyAsJsonObject().getString("status")).isEqualTo("UP");
    assertThat(Await.result(client.get(port, "127.0.0.1", "/api/posts?limit=1").send()).statusCode()).isEqualTo(200);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
