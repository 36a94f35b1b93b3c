package com.foobar.platform.app;

import com.foobar.platform.testing.Await;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import static org.awaitility.Awaitility.await;

/** Reads go to the replica, so a test waits for replication before it reads what it wrote. */
public final class ReplicaSync {

  private ReplicaSync() {
  }

  public static HttpResponse<Buffer> awaitPost(WebClient client, long id) {
    AtomicReference<HttpResponse<Buffer>> found = new AtomicReference<>();
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
      found.set(Await.result(client.get("/api/posts/" + id).send()));
      return found.get().statusCode() == 200;
    });
    return found.get();
  }
}
