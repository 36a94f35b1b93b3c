package com.foobar.platform.app.web;

import com.foobar.platform.app.AppTestServer;
import com.foobar.platform.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The web server's role: the built-in site, an operator's document root, and what must never be served. */
@ExtendWith(VertxExtension.class)
class StaticSiteTest {

  @Test
  void servesTheBuiltInSite(Vertx vertx) {
    AppTestServer server = new AppTestServer(vertx, "app-static", new JsonObject());
    WebClient client = WebClient.create(vertx, new WebClientOptions().setDefaultPort(server.port()));
    var page = Await.result(client.get("/").send());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.getHeader("Content-Type")).startsWith("text/html");
    assertThat(page.getHeader("X-Served-By")).isEqualTo("app-static");
    assertThat(page.bodyAsString()).contains("post-form", "app.js");
    assertThat(Await.result(client.get("/app.js").send()).getHeader("Content-Type")).contains("javascript");
    assertThat(Await.result(client.get("/no-such-file.css").send()).statusCode()).isEqualTo(404);
    // The jar's site goes through the same handler as an operator's root: validators and revalidation.
    String etag = page.getHeader("ETag");
    assertThat(etag).startsWith("\"");
    assertThat(page.getHeader("Cache-Control")).isEqualTo("no-cache");
    assertThat(Await.result(client.get("/").putHeader("If-None-Match", etag).send()).statusCode()).isEqualTo(304);
  }

  @Test
  void appliesTheStaticFilesOptionsOfItsConfig(Vertx vertx, @TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("notes.txt"), "x".repeat(4000));
    AppTestServer server = new AppTestServer(vertx, "app-static-conf", new JsonObject()
      .put("webRoot", dir.toString())
      .put("staticFiles", new JsonObject().put("defaultCacheControl", "max-age=42").put("compress", false)));
    WebClient client = WebClient.create(vertx, new WebClientOptions().setDefaultPort(server.port()));
    var answer = Await.result(client.get("/notes.txt").putHeader("Accept-Encoding", "gzip").send());
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.getHeader("Cache-Control")).isEqualTo("max-age=42");
    assertThat(answer.getHeader("Content-Encoding")).isNull();
    assertThat(answer.getHeader("X-Served-By")).isEqualTo("app-static-conf");
  }

  @Test
  void servesAnOperatorsDocumentRootButNeitherHiddenFilesNorAnythingOutside(Vertx vertx, @TempDir Path dir)
    throws IOException {
    Path root = Files.createDirectories(dir.resolve("site"));
    Files.writeString(root.resolve("index.html"), "<h1>operator site</h1>");
    Files.writeString(root.resolve(".env"), "SECRET=1");
    Files.writeString(dir.resolve("outside.txt"), "outside");
    AppTestServer server = new AppTestServer(vertx, "app-docroot", new JsonObject().put("webRoot", root.toString()));
    WebClient client = WebClient.create(vertx, new WebClientOptions().setDefaultPort(server.port()));

    assertThat(Await.result(client.get("/").send()).bodyAsString()).isEqualTo("<h1>operator site</h1>");
    assertThat(Await.result(client.get("/.env").send()).statusCode()).isEqualTo(404);
    HttpClient raw = vertx.createHttpClient();
    for (String path : new String[] {"/../outside.txt", "/%2e%2e/outside.txt", "/..%2foutside.txt"}) {
      // The body is read in the same chain: a response left unread while the test thread waits loses its data.
      String answer = Await.result(raw.request(new RequestOptions().setMethod(HttpMethod.GET)
          .setHost("127.0.0.1").setPort(server.port()).setURI(path))
        .compose(request -> request.send())
        .compose(response -> response.body().map(body -> response.statusCode() + " " + body)));
      assertThat(answer).as(path).doesNotContain("outside").matches("(400|404) .*");
    }
  }
}
