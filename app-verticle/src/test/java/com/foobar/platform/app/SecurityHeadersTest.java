package com.foobar.platform.app;

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

import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The site's security headers and cookie flags, and that the page works under its own policy. */
@ExtendWith(VertxExtension.class)
class SecurityHeadersTest {

  private static AppTestServer server;
  private static WebClient client;

  @BeforeAll
  static void start(Vertx vertx) {
    server = new AppTestServer(vertx, "app-security", new JsonObject());
    client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(server.port()));
  }

  @AfterAll
  static void stop() {
    client.close();
  }

  @Test
  void everyResponseCarriesTheSecurityHeaders() {
    for (String path : new String[] {"/", "/index.html", "/app.js", "/api/posts", "/no-such-page", "/api/nothing"}) {
      HttpResponse<Buffer> response = Await.result(client.get(path).send());
      assertThat(response.getHeader("Content-Security-Policy")).as(path)
        .contains("default-src 'self'").contains("frame-ancestors 'none'").contains("script-src 'self'")
        .doesNotContain("unsafe-inline");
      assertThat(response.getHeader("X-Content-Type-Options")).as(path).isEqualTo("nosniff");
      assertThat(response.getHeader("X-Frame-Options")).as(path).isEqualTo("DENY");
      assertThat(response.getHeader("Referrer-Policy")).as(path).isEqualTo("strict-origin-when-cross-origin");
    }
  }

  @Test
  void thePageNeedsNothingThePolicyForbids() {
    String page = Await.result(client.get("/").send()).bodyAsString();
    assertThat(page).contains("<script src=\"app.js\"");
    assertThat(Pattern.compile("<script(?![^>]*\\bsrc=)[^>]*>").matcher(page).find()).as("no inline script").isFalse();
    assertThat(page).as("no inline style").doesNotContain("<style").doesNotContain(" style=");
    assertThat(Pattern.compile("\\son[a-z]+=").matcher(page).find()).as("no inline event handlers").isFalse();
    assertThat(page).as("no resources from other origins").doesNotContain("http://").doesNotContain("https://");
    String script = Await.result(client.get("/app.js").send()).bodyAsString();
    assertThat(Pattern.compile("(inner|outer)HTML\\s*\\+?=|insertAdjacentHTML|document\\.write|eval\\(|new Function")
      .matcher(script).find()).as("user content is never parsed as HTML or code").isFalse();
    assertThat(script).contains("textContent");
  }

  @Test
  void theConsistencyCookieIsHttpOnlySameSiteAndSecureOverHttps() {
    JsonObject post = new JsonObject().put("author", "sec").put("title", "cookie").put("body", "flags");
    String plain = Await.result(client.post("/api/posts").sendJsonObject(post)).getHeader("Set-Cookie");
    assertThat(plain).containsIgnoringCase("HttpOnly").contains("SameSite=Lax").doesNotContain("Secure");
    String https = Await.result(client.post("/api/posts").putHeader("X-Forwarded-Proto", "https")
      .sendJsonObject(post)).getHeader("Set-Cookie");
    assertThat(https).containsIgnoringCase("HttpOnly").contains("SameSite=Lax").contains("Secure");
  }
}
