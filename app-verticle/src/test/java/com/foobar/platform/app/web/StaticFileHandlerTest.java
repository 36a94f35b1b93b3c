package com.foobar.platform.app.web;

import com.foobar.platform.app.web.StaticServer.Answer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The static file handler over real HTTP and a real document root: everything nginx operators rely on. */
@ExtendWith(VertxExtension.class)
class StaticFileHandlerTest {

  private static final Instant MODIFIED = Instant.parse("2024-05-06T07:08:09Z");
  private static final String MODIFIED_HTTP = "Mon, 06 May 2024 07:08:09 GMT";

  @TempDir
  Path dir;
  Path root;
  byte[] range;
  String css;
  StaticServer server;

  @BeforeEach
  void site(Vertx vertx) throws IOException {
    root = Files.createDirectories(dir.resolve("site"));
    Files.createDirectories(root.resolve("sub"));
    Files.createDirectories(root.resolve("empty"));
    Files.createDirectories(root.resolve(".git"));
    write("index.html", "<h1>home</h1>");
    write("sub/index.html", "<h1>sub</h1>");
    write("small.txt", "tiny");
    css = "body { color: #123456; margin: 0 auto; }\n".repeat(200);
    write("big.css", css);
    write("app.0123abcd.js", "console.log('fingerprinted');");
    write("pre.js", "console.log('precompressed');\n".repeat(100));
    Files.write(root.resolve("pre.js.gz"), FileCache.gzip(Files.readAllBytes(root.resolve("pre.js")), 9).getBytes());
    write("data.unknownext", "?");
    write("README", "no extension");
    write(".env", "SECRET=1");
    write(".git/config", "[core]");
    Files.writeString(dir.resolve("outside.txt"), "outside");
    range = new byte[1000];
    for (int i = 0; i < range.length; i++) {
      range[i] = (byte) i;
    }
    Files.write(root.resolve("range.bin"), range);
    byte[] png = new byte[8192];
    new Random(1).nextBytes(png);
    Files.write(root.resolve("image.png"), png);
    try (var files = Files.walk(root)) {
      for (Path file : files.toList()) {
        Files.setLastModifiedTime(file, FileTime.from(MODIFIED));
      }
    }
    server = new StaticServer(vertx, root, new StaticFilesOptions());
  }

  private void write(String name, String content) throws IOException {
    Files.writeString(root.resolve(name), content);
  }

  @Test
  void strongEtagAndIfNoneMatchGive304WithoutBody() {
    Answer first = server.get("/small.txt");
    assertThat(first.status()).isEqualTo(200);
    assertThat(first.body().toString()).isEqualTo("tiny");
    String etag = first.header("ETag");
    assertThat(etag).isEqualTo(ContentTags.digest(root.resolve("small.txt"))).matches("\"[A-Za-z0-9_-]{22}\"");
    Answer again = server.get("/small.txt", "If-None-Match", etag);
    assertThat(again.status()).isEqualTo(304);
    assertThat(again.body().length()).isZero();
    assertThat(again.header("ETag")).isEqualTo(etag);
    assertThat(server.get("/small.txt", "If-None-Match", "\"other\", W/" + etag).status()).isEqualTo(304);
    assertThat(server.get("/small.txt", "If-None-Match", "*").status()).isEqualTo(304);
    assertThat(server.get("/small.txt", "If-None-Match", "\"other\"").status()).isEqualTo(200);
    // If-None-Match decides alone: a matching date cannot turn a changed ETag into a 304.
    assertThat(server.get("/small.txt", "If-None-Match", "\"other\"", "If-Modified-Since", MODIFIED_HTTP).status())
      .isEqualTo(200);
  }

  /** The validator is the bytes': the same on a server whose copy is newer, another once the bytes change. */
  @Test
  void etagIsDerivedFromTheContentNotTheModificationTime() throws IOException, InterruptedException {
    String etag = server.get("/small.txt").header("ETag");
    Files.setLastModifiedTime(root.resolve("small.txt"), FileTime.from(MODIFIED.plusSeconds(3600)));
    Thread.sleep(new StaticFilesOptions().fileCacheMs() + 100);
    Answer touched = server.get("/small.txt", "If-None-Match", etag);
    assertThat(touched.status()).isEqualTo(304);
    assertThat(touched.header("Last-Modified")).isNotEqualTo(MODIFIED_HTTP);
    write("small.txt", "TINY");
    Thread.sleep(new StaticFilesOptions().fileCacheMs() + 100);
    Answer changed = server.get("/small.txt", "If-None-Match", etag);
    assertThat(changed.status()).isEqualTo(200);
    assertThat(changed.body().toString()).isEqualTo("TINY");
    assertThat(changed.header("ETag")).isNotEqualTo(etag).isEqualTo(ContentTags.digest(root.resolve("small.txt")));
  }

  @Test
  void lastModifiedAndIfModifiedSinceGive304WithoutBody() {
    Answer first = server.get("/small.txt");
    assertThat(first.header("Last-Modified")).isEqualTo(MODIFIED_HTTP);
    Answer same = server.get("/small.txt", "If-Modified-Since", MODIFIED_HTTP);
    assertThat(same.status()).isEqualTo(304);
    assertThat(same.body().length()).isZero();
    assertThat(server.get("/small.txt", "If-Modified-Since", "Tue, 07 May 2024 00:00:00 GMT").status()).isEqualTo(304);
    assertThat(server.get("/small.txt", "If-Modified-Since", "Sun, 05 May 2024 00:00:00 GMT").status()).isEqualTo(200);
    assertThat(server.get("/small.txt", "If-Modified-Since", "not a date").status()).isEqualTo(200);
  }

  @Test
  void rangesSingleSuffixAndOpenGive206() {
    Answer single = server.get("/range.bin", "Range", "bytes=10-19");
    assertThat(single.status()).isEqualTo(206);
    assertThat(single.header("Content-Range")).isEqualTo("bytes 10-19/1000");
    assertThat(single.header("Content-Length")).isEqualTo("10");
    assertThat(single.body().getBytes()).isEqualTo(Arrays.copyOfRange(range, 10, 20));

    Answer suffix = server.get("/range.bin", "Range", "bytes=-100");
    assertThat(suffix.status()).isEqualTo(206);
    assertThat(suffix.header("Content-Range")).isEqualTo("bytes 900-999/1000");
    assertThat(suffix.body().getBytes()).isEqualTo(Arrays.copyOfRange(range, 900, 1000));

    Answer open = server.get("/range.bin", "Range", "bytes=990-");
    assertThat(open.status()).isEqualTo(206);
    assertThat(open.header("Content-Range")).isEqualTo("bytes 990-999/1000");
    assertThat(open.body().getBytes()).isEqualTo(Arrays.copyOfRange(range, 990, 1000));

    Answer past = server.get("/range.bin", "Range", "bytes=995-5000");
    assertThat(past.header("Content-Range")).isEqualTo("bytes 995-999/1000");
    assertThat(server.get("/range.bin", "Range", "bytes=-5000").header("Content-Range")).isEqualTo("bytes 0-999/1000");
  }

  @Test
  void largeFilesGoOutWithSendfileWithTheSameAnswers(Vertx vertx) {
    StaticServer sendfile = new StaticServer(vertx, root, new StaticFilesOptions(new JsonObject().put("memoryCacheMaxFileSize", 0)));
    Answer whole = sendfile.get("/range.bin");
    assertThat(whole.body().getBytes()).isEqualTo(range);
    assertThat(whole.header("Content-Length")).isEqualTo("1000");
    Answer suffix = sendfile.get("/range.bin", "Range", "bytes=-100");
    assertThat(suffix.status()).isEqualTo(206);
    assertThat(suffix.header("Content-Range")).isEqualTo("bytes 900-999/1000");
    assertThat(suffix.body().getBytes()).isEqualTo(Arrays.copyOfRange(range, 900, 1000));
    assertThat(sendfile.get("/pre.js", "Accept-Encoding", "gzip").header("Content-Encoding")).isEqualTo("gzip");
  }

  @Test
  void unsatisfiableRangeGives416AndOddRangesAreIgnored() {
    for (String unsatisfiable : new String[] {"bytes=1000-", "bytes=5000-6000", "bytes=-0"}) {
      Answer answer = server.get("/range.bin", "Range", unsatisfiable);
      assertThat(answer.status()).as(unsatisfiable).isEqualTo(416);
      assertThat(answer.header("Content-Range")).isEqualTo("bytes */1000");
    }
    for (String ignored : new String[] {"bytes=0-1,5-6", "bytes=9-2", "items=0-1", "bytes=x-"}) {
      Answer answer = server.get("/range.bin", "Range", ignored);
      assertThat(answer.status()).as(ignored).isEqualTo(200);
      assertThat(answer.body().length()).isEqualTo(1000);
    }
  }

  @Test
  void ifRangeServesTheRangeOnlyForTheSameRepresentation() {
    String etag = server.get("/range.bin").header("ETag");
    assertThat(server.get("/range.bin", "Range", "bytes=0-9", "If-Range", etag).status()).isEqualTo(206);
    assertThat(server.get("/range.bin", "Range", "bytes=0-9", "If-Range", MODIFIED_HTTP).status()).isEqualTo(206);
    Answer changed = server.get("/range.bin", "Range", "bytes=0-9", "If-Range", "\"stale\"");
    assertThat(changed.status()).isEqualTo(200);
    assertThat(changed.body().length()).isEqualTo(1000);
    assertThat(server.get("/range.bin", "Range", "bytes=0-9", "If-Range", "W/" + etag).status()).isEqualTo(200);
    assertThat(server.get("/range.bin", "Range", "bytes=0-9", "If-Range", "Sun, 05 May 2024 00:00:00 GMT").status())
      .isEqualTo(200);
  }

  @Test
  void gzipsLargeTextWithVaryButNotSmallOrBinaryFilesOrRanges() throws IOException {
    Answer gzipped = server.get("/big.css", "Accept-Encoding", "gzip, deflate, br");
    assertThat(gzipped.status()).isEqualTo(200);
    assertThat(gzipped.header("Content-Encoding")).isEqualTo("gzip");
    assertThat(gzipped.header("Vary")).isEqualTo("Accept-Encoding");
    assertThat(gzipped.body().length()).isLessThan(css.length() / 4);
    assertThat(gunzip(gzipped.body().getBytes())).isEqualTo(css);
    Answer plain = server.get("/big.css");
    assertThat(plain.header("Content-Encoding")).isNull();
    assertThat(plain.header("Vary")).isEqualTo("Accept-Encoding");
    assertThat(plain.body().toString()).isEqualTo(css);
    assertThat(gzipped.header("ETag")).isNotEqualTo(plain.header("ETag"));
    assertThat(server.get("/big.css", "Accept-Encoding", "gzip", "If-None-Match", gzipped.header("ETag")).status())
      .isEqualTo(304);
    assertThat(server.get("/big.css", "Accept-Encoding", "gzip;q=0, deflate").header("Content-Encoding")).isNull();

    assertThat(server.get("/small.txt", "Accept-Encoding", "gzip").header("Content-Encoding")).isNull();
    Answer binary = server.get("/image.png", "Accept-Encoding", "gzip");
    assertThat(binary.header("Content-Encoding")).isNull();
    assertThat(binary.header("Vary")).isNull();
    assertThat(binary.body().length()).isEqualTo(8192);

    Answer ranged = server.get("/big.css", "Accept-Encoding", "gzip", "Range", "bytes=0-3");
    assertThat(ranged.status()).isEqualTo(206);
    assertThat(ranged.header("Content-Encoding")).isNull();
    assertThat(ranged.body().toString()).isEqualTo("body");
  }

  @Test
  void servesThePrecompressedFileWhenPresent() throws IOException {
    byte[] onDisk = Files.readAllBytes(root.resolve("pre.js.gz"));
    Answer gzipped = server.get("/pre.js", "Accept-Encoding", "gzip");
    assertThat(gzipped.header("Content-Encoding")).isEqualTo("gzip");
    assertThat(gzipped.header("Content-Type")).isEqualTo("text/javascript; charset=utf-8");
    assertThat(gzipped.header("Vary")).isEqualTo("Accept-Encoding");
    assertThat(gzipped.body().getBytes()).isEqualTo(onDisk);
    Answer plain = server.get("/pre.js");
    assertThat(plain.header("Content-Encoding")).isNull();
    assertThat(plain.body().toString()).startsWith("console.log('precompressed');");
    assertThat(server.request(HttpMethod.HEAD, "/pre.js", "Accept-Encoding", "gzip").header("Content-Length"))
      .isEqualTo(String.valueOf(onDisk.length));
  }

  @Test
  void cacheControlFollowsThePathPatterns(Vertx vertx) {
    assertThat(server.get("/app.0123abcd.js").header("Cache-Control")).isEqualTo("public, max-age=31536000, immutable");
    assertThat(server.get("/index.html").header("Cache-Control")).isEqualTo("no-cache");
    assertThat(server.get("/").header("Cache-Control")).isEqualTo("no-cache");
    assertThat(server.get("/small.txt").header("Cache-Control")).isEqualTo("public, max-age=300");
    assertThat(server.get("/small.txt", "If-None-Match", "*").header("Cache-Control")).isEqualTo("public, max-age=300");

    StaticFilesOptions custom = new StaticFilesOptions(new JsonObject()
      .put("cacheControl", new JsonArray().add(new JsonObject().put("pattern", "/sub/.*").put("value", "private")))
      .put("defaultCacheControl", "max-age=60"));
    StaticServer configured = new StaticServer(vertx, root, custom);
    assertThat(configured.get("/sub/").header("Cache-Control")).isEqualTo("private");
    assertThat(configured.get("/index.html").header("Cache-Control")).isEqualTo("max-age=60");
  }

  @Test
  void directoriesServeTheirIndexAndGetTheirSlash() {
    Answer redirect = server.get("/sub?page=2");
    assertThat(redirect.status()).isEqualTo(301);
    assertThat(redirect.header("Location")).isEqualTo("/sub/?page=2");
    assertThat(server.get("/sub").header("Location")).isEqualTo("/sub/");
    Answer index = server.get("/sub/");
    assertThat(index.status()).isEqualTo(200);
    assertThat(index.body().toString()).isEqualTo("<h1>sub</h1>");
    assertThat(index.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
    assertThat(server.get("/").body().toString()).isEqualTo("<h1>home</h1>");
    assertThat(server.get("/empty/").status()).isEqualTo(404);
    assertThat(server.get("/small.txt/").status()).isEqualTo(404);
    assertThat(server.get("/missing.html").status()).isEqualTo(404);
  }

  @Test
  void mimeTypesComeFromACompleteTableWithOctetStreamAsDefault() {
    assertThat(server.get("/data.unknownext").header("Content-Type")).isEqualTo("application/octet-stream");
    assertThat(server.get("/README").header("Content-Type")).isEqualTo("application/octet-stream");
    assertThat(server.get("/big.css").header("Content-Type")).isEqualTo("text/css; charset=utf-8");
    assertThat(server.get("/image.png").header("Content-Type")).isEqualTo("image/png");
    assertThat(server.get("/range.bin").header("Content-Type")).isEqualTo("application/octet-stream");
  }

  @Test
  void headAnswersTheLengthWithoutABody() {
    Answer head = server.request(HttpMethod.HEAD, "/big.css");
    assertThat(head.status()).isEqualTo(200);
    assertThat(head.header("Content-Length")).isEqualTo(String.valueOf(css.length()));
    assertThat(head.body().length()).isZero();
    assertThat(server.request(HttpMethod.POST, "/big.css").status()).isEqualTo(404);
  }

  @Test
  void hiddenFilesAndTraversalAreRefused() {
    assertThat(server.get("/.env").status()).isEqualTo(404);
    assertThat(server.get("/.git/config").status()).isEqualTo(404);
    assertThat(server.get("/%2egit/config").status()).isEqualTo(404);
    for (String path : new String[] {"/../outside.txt", "/%2e%2e/outside.txt", "/%2E%2E/outside.txt",
      "/..%2foutside.txt", "/sub/..%5c..%5coutside.txt", "/sub\\..\\..\\outside.txt", "/small.txt%00.html",
      "/bad%zz", "/sub/%2e/index.html"}) {
      Answer answer = server.get(path);
      assertThat(answer.body().toString()).as(path).doesNotContain("outside").doesNotContain("<h1>");
      assertThat(answer.status()).as(path).isEqualTo(400);
      assertThat(answer.header("Content-Type")).as(path).isEqualTo("application/json");
    }
  }

  private static String gunzip(byte[] bytes) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
