package com.foobar.platform.app.posts;

import com.foobar.platform.app.ReplicaSync;
import com.foobar.platform.app.AppTestServer;
import com.foobar.platform.testing.Await;
import com.foobar.platform.testing.MariaDbPair;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Posts belong to their authors, on a real MariaDB: a PUT or DELETE without the post's edit token, or with a
 * wrong one, is a 403 that changes nothing; the right token works; the database holds only the token's SHA-256,
 * and no read ever returns it.
 */
@ExtendWith(VertxExtension.class)
class PostOwnershipTest {

  private static AppTestServer server;
  private static WebClient client;
  private static final MariaDbPair PAIR = MariaDbPair.shared();

  @BeforeAll
  static void start(Vertx vertx) {
    server = new AppTestServer(vertx, "app-owner", new JsonObject());
    client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(server.port()));
  }

  @AfterAll
  static void stop() {
    client.close();
  }

  private static JsonObject create(String title) {
    HttpResponse<Buffer> created = Await.result(client.post("/api/posts").sendJsonObject(content(title)));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    return created.bodyAsJsonObject();
  }

  private static JsonObject content(String title) {
    return new JsonObject().put("author", "owner").put("title", title).put("body", "mine");
  }

  /** The row as the primary has it: title, then the hex of the stored digest. */
  private static String row(long id) {
    return PAIR.sql("primary", "SELECT title, HEX(edit_token_hash) FROM foobar.posts WHERE id = " + id).strip();
  }

  private static HttpResponse<Buffer> send(HttpRequest<Buffer> request, JsonObject body) {
    return Await.result(body == null ? request.send() : request.sendJsonObject(body));
  }

  private static void assertForbidden(HttpResponse<Buffer> response) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(403);
    assertThat(response.getHeader("Content-Type")).startsWith("application/json");
    assertThat(response.bodyAsJsonObject().getString("error")).isEqualTo("forbidden");
  }

  @Test
  void deleteWithoutWithAWrongAndWithTheRightToken() {
    JsonObject post = create("delete me");
    long id = post.getLong("id");
    String before = row(id);

    assertForbidden(send(client.delete("/api/posts/" + id), null));
    assertForbidden(send(client.delete("/api/posts/" + id).putHeader("Authorization", "Bearer " + EditTokens.generate()),
      null));
    assertForbidden(send(client.delete("/api/posts/" + id).putHeader("X-Edit-Token", "x".repeat(5000)), null));
    assertThat(row(id)).as("nothing changed").isEqualTo(before);

    assertThat(send(client.delete("/api/posts/" + id).putHeader("Authorization", "Bearer " + post.getString("editToken")),
      null).statusCode()).isEqualTo(204);
    assertThat(row(id)).isEmpty();
    assertThat(send(client.delete("/api/posts/" + id).putHeader("X-Edit-Token", post.getString("editToken")), null)
      .statusCode()).as("a missing post stays 404").isEqualTo(404);
    assertThat(send(client.delete("/api/posts/987654321"), null).statusCode()).isEqualTo(404);
  }

  @Test
  void putWithoutWithAWrongAndWithTheRightToken() {
    JsonObject post = create("edit me");
    long id = post.getLong("id");
    String before = row(id);

    assertForbidden(send(client.put("/api/posts/" + id), content("vandalised")));
    assertForbidden(send(client.put("/api/posts/" + id).putHeader("X-Edit-Token", EditTokens.generate()),
      content("vandalised")));
    assertThat(row(id)).as("nothing changed").isEqualTo(before);

    HttpResponse<Buffer> updated = send(client.put("/api/posts/" + id).putHeader("X-Edit-Token",
      post.getString("editToken")), content("edited"));
    assertThat(updated.statusCode()).isEqualTo(200);
    assertThat(updated.bodyAsJsonObject().getString("title")).isEqualTo("edited");
    assertThat(updated.bodyAsJsonObject().containsKey("editToken")).isFalse();
    assertThat(row(id)).startsWith("edited\t");
    assertThat(send(client.put("/api/posts/987654321").putHeader("X-Edit-Token", post.getString("editToken")),
      content("x")).statusCode()).as("a missing post stays 404").isEqualTo(404);
  }

  @Test
  void onlyTheTokensDigestIsStoredAndNoReadReturnsIt() {
    JsonObject post = create("digest");
    long id = post.getLong("id");
    String token = post.getString("editToken");
    String digest = HexFormat.of().withUpperCase().formatHex(EditTokens.sha256(token.getBytes()));
    assertThat(row(id)).isEqualTo("digest\t" + digest);
    assertThat(PAIR.sql("primary", "SELECT COUNT(*) FROM foobar.posts WHERE CONCAT_WS(' ', author, title, body,"
      + " edit_token_hash) LIKE '%" + token + "%'").strip()).isEqualTo("0");

    String single = ReplicaSync.awaitPost(client, id).bodyAsString();
    String list = send(client.get("/api/posts?limit=100"), null).bodyAsString();
    assertThat(single).doesNotContain(token).doesNotContain("editToken").doesNotContainIgnoringCase(digest);
    assertThat(list).doesNotContain(token).doesNotContain("editToken").doesNotContainIgnoringCase(digest);
  }

  @Test
  void aHundredUnauthenticatedDeletesOverExistingIdsDeleteNothing() {
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      ids.add(create("target " + i).getLong("id"));
    }
    String count = PAIR.sql("primary", "SELECT COUNT(*) FROM foobar.posts").strip();
    for (int i = 0; i < 100; i++) {
      HttpRequest<Buffer> delete = client.delete("/api/posts/" + ids.get(i % ids.size()));
      if (i % 3 == 1) {
        delete.putHeader("Authorization", "Bearer " + EditTokens.generate());
      } else if (i % 3 == 2) {
        delete.putHeader("X-Edit-Token", "");
      }
      assertForbidden(send(delete, null));
    }
    assertThat(PAIR.sql("primary", "SELECT COUNT(*) FROM foobar.posts").strip()).isEqualTo(count);
  }

  @Test
  void aPostFromBeforeTokensCanBeChangedByNobodyButModeration() {
    long id = Long.parseLong(PAIR.sql("primary", "INSERT INTO foobar.posts (author, title, body, created_at, updated_at)"
      + " VALUES ('old', 'legacy', 'from before tokens', UTC_TIMESTAMP(3), UTC_TIMESTAMP(3)); SELECT LAST_INSERT_ID()")
      .strip());
    assertForbidden(send(client.delete("/api/posts/" + id), null));
    assertForbidden(send(client.delete("/api/posts/" + id).putHeader("X-Edit-Token", EditTokens.generate()), null));
    assertForbidden(send(client.put("/api/posts/" + id).putHeader("X-Edit-Token", ""), content("taken over")));
    assertThat(row(id)).startsWith("legacy\t");
  }
}
