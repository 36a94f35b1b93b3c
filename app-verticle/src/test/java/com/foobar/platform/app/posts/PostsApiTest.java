package com.foobar.platform.app.posts;

import com.foobar.platform.app.AppOptions;
import com.foobar.platform.app.ReplicaSync;
import com.foobar.platform.app.AppTestServer;
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

/** The posts API over a real MariaDB primary and replica: the happy paths and every kind of bad input. */
@ExtendWith(VertxExtension.class)
class PostsApiTest {

  private static AppTestServer server;
  private static WebClient client;

  @BeforeAll
  static void start(Vertx vertx) {
    server = new AppTestServer(vertx, "app-test", new JsonObject());
    client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
      .setDefaultPort(server.port()));
  }

  @AfterAll
  static void stop() {
    client.close();
  }

  private static HttpResponse<Buffer> post(String body) {
    return Await.result(client.post("/api/posts").putHeader("Content-Type", "application/json")
      .sendBuffer(Buffer.buffer(body)));
  }

  private static JsonObject newPost(String title) {
    return new JsonObject().put("author", "tester").put("title", title).put("body", "line one\nline two");
  }

  @Test
  void createsReadsUpdatesAndDeletesAPost() {
    HttpResponse<Buffer> created = post(newPost("  Hello  ").encode());
    assertThat(created.statusCode()).isEqualTo(201);
    JsonObject post = created.bodyAsJsonObject();
    long id = post.getLong("id");
    assertThat(created.getHeader("Location")).isEqualTo("/api/posts/" + id);
    assertThat(created.getHeader("X-Served-By")).isEqualTo("app-test");
    assertThat(post.getString("title")).isEqualTo("Hello");
    assertThat(post.getString("body")).isEqualTo("line one\nline two");
    assertThat(post.getString("createdAt")).endsWith("Z");

    String token = post.getString("editToken");
    assertThat(token).as("256 random bits, base64url").matches("[A-Za-z0-9_-]{43}");

    JsonObject read = ReplicaSync.awaitPost(client, id).bodyAsJsonObject();
    assertThat(read.containsKey("editToken")).as("a read never shows the token").isFalse();
    JsonObject expected = post.copy();
    expected.remove("editToken");
    assertThat(read).isEqualTo(expected);

    HttpResponse<Buffer> updated = Await.result(client.put("/api/posts/" + id)
      .putHeader("Authorization", "Bearer " + token).sendJsonObject(newPost("Changed")));
    assertThat(updated.statusCode()).isEqualTo(200);
    assertThat(updated.bodyAsJsonObject().getString("title")).isEqualTo("Changed");
    assertThat(updated.bodyAsJsonObject().containsKey("editToken")).isFalse();

    assertThat(Await.result(client.delete("/api/posts/" + id).putHeader("X-Edit-Token", token).send())
      .statusCode()).isEqualTo(204);
    assertThat(Await.result(client.delete("/api/posts/" + id).putHeader("X-Edit-Token", token).send())
      .statusCode()).isEqualTo(404);
  }

  @Test
  void listsNewestFirstWithACursor() {
    long first = post(newPost("page-1").encode()).bodyAsJsonObject().getLong("id");
    long second = post(newPost("page-2").encode()).bodyAsJsonObject().getLong("id");
    long third = post(newPost("page-3").encode()).bodyAsJsonObject().getLong("id");
    ReplicaSync.awaitPost(client, third);

    JsonObject page = Await.result(client.get("/api/posts?limit=2").send()).bodyAsJsonObject();
    assertThat(page.getJsonArray("posts").getJsonObject(0).getLong("id")).isEqualTo(third);
    assertThat(page.getJsonArray("posts").getJsonObject(1).getLong("id")).isEqualTo(second);
    assertThat(page.getString("next")).isEqualTo(Long.toString(second));

    JsonObject older = Await.result(client.get("/api/posts?limit=1&before=" + page.getString("next")).send())
      .bodyAsJsonObject();
    assertThat(older.getJsonArray("posts").getJsonObject(0).getLong("id")).isEqualTo(first);
  }

  @Test
  void rejectsInvalidPostsWithTheFieldAtFault() {
    assertError(post(new JsonObject().put("title", "t").put("body", "b").encode()), 400, "author");
    assertError(post(newPost("x".repeat(201)).encode()), 400, "title");
    assertError(post(newPost("t").put("body", "   ").encode()), 400, "body");
    assertError(post(newPost("t").put("author", 42).encode()), 400, "author");
    assertError(post("{\"author\": \"a\", "), 400, null);
    assertError(post("[1, 2]"), 400, null);
    assertError(post(""), 400, null);
  }

  @Test
  void rejectsWrongMediaTypeAndOversizedBodies() {
    HttpResponse<Buffer> text = Await.result(client.post("/api/posts").putHeader("Content-Type", "text/plain")
      .sendBuffer(Buffer.buffer(newPost("t").encode())));
    assertError(text, 415, null);
    assertError(post(newPost("t").put("body", "x".repeat(new AppOptions().maxBodySize() + 1)).encode()), 413, null);
  }

  @Test
  void rejectsBadIdsAndParametersAndAnswersUnknownOnes() {
    assertError(Await.result(client.get("/api/posts/abc").send()), 400, "id");
    assertError(Await.result(client.get("/api/posts/99999999999999999999").send()), 400, "id");
    assertError(Await.result(client.get("/api/posts/987654321").send()), 404, null);
    assertError(Await.result(client.get("/api/posts?limit=0").send()), 400, "limit");
    assertError(Await.result(client.get("/api/posts?limit=101").send()), 400, "limit");
    assertError(Await.result(client.get("/api/posts?before=-1").send()), 400, "before");
    assertError(Await.result(client.put("/api/posts/987654321").sendJsonObject(newPost("t"))), 404, null);
    assertError(Await.result(client.get("/api/nothing").send()), 404, null);
  }

  private static void assertError(HttpResponse<Buffer> response, int status, String field) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).startsWith("application/json");
    assertThat(response.getHeader("X-Served-By")).isEqualTo("app-test");
    JsonObject error = response.bodyAsJsonObject();
    assertThat(error.getString("error")).isNotBlank();
    assertThat(error.getString("message")).isNotBlank();
    assertThat(error.getString("field")).isEqualTo(field);
  }
}
