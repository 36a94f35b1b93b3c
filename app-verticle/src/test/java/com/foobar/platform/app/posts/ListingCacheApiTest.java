package com.foobar.platform.app.posts;

import com.foobar.platform.app.AppTestServer;
import com.foobar.platform.app.ReplicaSync;
import com.foobar.platform.app.db.ConsistencyToken;
import com.foobar.platform.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The listing's cache through the API (a long ttl, so the machine's speed cannot decide): a visitor's page is
 * shared, while a request carrying the consistency token of its write still sees that write at once.
 */
@ExtendWith(VertxExtension.class)
class ListingCacheApiTest {

  private static WebClient client;

  @BeforeAll
  static void start(Vertx vertx) {
    AppTestServer server = new AppTestServer(vertx, "app-listing-cache",
      new JsonObject().put("posts", new JsonObject().put("listingCacheMs", 10_000)));
    client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
      .setDefaultPort(server.port()));
  }

  @AfterAll
  static void stop() {
    client.close();
  }

  private static long newestOf(HttpResponse<Buffer> page) {
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.getHeader("Content-Type")).isEqualTo("application/json");
    return page.bodyAsJsonObject().getJsonArray("posts").getJsonObject(0).getLong("id");
  }

  @Test
  void aVisitorsPageIsSharedButTheAuthorsTokenSeesTheirWrite() {
    HttpResponse<Buffer> before = Await.result(client.post("/api/posts").sendJsonObject(
      new JsonObject().put("author", "cache").put("title", "listed first").put("body", "b")));
    ReplicaSync.awaitPost(client, before.bodyAsJsonObject().getLong("id"));
    long cached = newestOf(Await.result(client.get("/api/posts?limit=7").send()));

    HttpResponse<Buffer> created = Await.result(client.post("/api/posts").sendJsonObject(
      new JsonObject().put("author", "cache").put("title", "written after").put("body", "b")));
    long id = created.bodyAsJsonObject().getLong("id");
    ReplicaSync.awaitPost(client, id);

    assertThat(newestOf(Await.result(client.get("/api/posts?limit=7").send())))
      .as("the same page, as sent a moment ago").isEqualTo(cached);
    assertThat(newestOf(Await.result(client.get("/api/posts?limit=7")
      .putHeader(ConsistencyToken.HEADER, created.getHeader(ConsistencyToken.HEADER)).send())))
      .as("the author's read with its token").isEqualTo(id);
    assertThat(newestOf(Await.result(client.get("/api/posts?limit=8").send())))
      .as("another page is queried").isEqualTo(id);
  }
}
