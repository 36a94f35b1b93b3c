package com.foobar.platform.system;

import com.foobar.platform.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A browser's revalidation through the round robin: app-1 and app-2 hold the same page, written at different
 * times (as two machines' deploys are), and whichever server a conditional request reaches answers 304.
 */
class SameEtagOnEveryServerTest {

  private static final String PAGE = "<!doctype html><title>same bytes</title><p>deployed twice</p>\n";

  @TempDir
  Path dir;
  private Topology topology;
  private Vertx vertx;
  private WebClient browser;

  @BeforeEach
  void start() throws IOException {
    JsonObject[] apps = new JsonObject[2];
    for (int i = 0; i < 2; i++) {
      Path root = Files.createDirectories(dir.resolve("app-" + (i + 1)));
      Path page = Files.writeString(root.resolve("index.html"), PAGE);
      Files.setLastModifiedTime(page, FileTime.from(Instant.parse("2026-01-0" + (i + 1) + "T10:00:00Z")));
      apps[i] = new JsonObject().put("webRoot", root.toString());
    }
    topology = new Topology(new JsonObject().put("synthetic", new JsonObject().put("enabled", false)),
      Topology.NO_LIMITS, apps);
    vertx = Vertx.vertx();
    browser = WebClient.create(vertx, new WebClientOptions().setDefaultPort(topology.balancer.actualPort()));
  }

  @AfterEach
  void stop() {
    Await.result(vertx.close());
    topology.close();
  }

  @Test
  void aValidatorFromOneServerGets304FromTheOther() {
    HttpResponse<Buffer> first = Await.result(browser.get("/").send());
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.bodyAsString()).isEqualTo(PAGE);
    String etag = first.getHeader("ETag");
    Set<String> servedBy = new HashSet<>();
    servedBy.add(first.getHeader("X-Served-By"));
    for (int i = 0; i < 4; i++) {
      HttpResponse<Buffer> again = Await.result(browser.get("/").putHeader("If-None-Match", etag).send());
      servedBy.add(again.getHeader("X-Served-By"));
      assertThat(again.statusCode()).as("revalidation at %s", again.getHeader("X-Served-By")).isEqualTo(304);
      assertThat(again.getHeader("ETag")).isEqualTo(etag);
    }
    assertThat(servedBy).containsExactlyInAnyOrder("app-1", "app-2");
  }
}
