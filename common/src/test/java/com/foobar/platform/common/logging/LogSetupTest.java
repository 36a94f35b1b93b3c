package com.foobar.platform.common.logging;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class LogSetupTest {

  private final Vertx vertx = Vertx.vertx();
  private final LoggerContext context = new LoggerContext();

  {
    context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
  }

  @TempDir
  Path dir;

  @AfterEach
  void close() {
    context.stop();
    vertx.close();
  }

  @Test
  void textLinesCarryAnIsoTimestampWithZoneAndTheRequestIdOfTheRequestThatLogged() throws Exception {
    configure(Map.of("FOOBAR_LOG_DIR", dir.toString(), "FOOBAR_LOG_NAME", "app-1"));
    logInRequest("req-42", "inside a request");
    context.getLogger("test").info("outside any request");

    List<String> lines = Files.readAllLines(dir.resolve("app-1.log"));
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).contains(" rid=req-42 - inside a request");
    assertThat(lines.get(1)).doesNotContain("rid=").endsWith("- outside any request");
    OffsetDateTime.parse(lines.get(0).substring(0, lines.get(0).indexOf(' '))); // ISO-8601 with offset
  }

  @Test
  void jsonLinesAreObjectsWithTheRequestIdAsAField() throws Exception {
    configure(Map.of("FOOBAR_LOG_DIR", dir.toString(), "FOOBAR_LOG_NAME", "lb", "FOOBAR_LOG_FORMAT", "json"));
    logInRequest("req-7", "hello");
    JsonObject line = new JsonObject(Files.readAllLines(dir.resolve("lb.log")).get(0));
    assertThat(line.getString("message")).isEqualTo("hello");
    assertThat(line.getString("requestId")).isEqualTo("req-7");
    assertThat(line.getString("tier")).isEqualTo("lb");
    OffsetDateTime.parse(line.getString("@timestamp"));
  }

  @Test
  void theAccessLogIsAFileOfItsOwnWithTheMessageAsTheWholeLine() throws Exception {
    configure(Map.of("FOOBAR_LOG_DIR", dir.toString(), "FOOBAR_LOG_NAME", "lb", "FOOBAR_LOG_FORMAT", "json"));
    context.getLogger(LogSetup.ACCESS_LOGGER).info("{\"status\":200}");
    Path access = dir.resolve("lb-access.log");
    await().atMost(5, TimeUnit.SECONDS).until(() -> Files.exists(access) && !Files.readAllLines(access).isEmpty());
    assertThat(Files.readAllLines(access)).containsExactly("{\"status\":200}");
    assertThat(Files.readAllLines(dir.resolve("lb.log"))).isEmpty();
  }

  @Test
  void aFileIsRotatedBySizeAndOldFilesAreGzipped() throws Exception {
    configure(Map.of("FOOBAR_LOG_DIR", dir.toString(), "FOOBAR_LOG_NAME", "app-2",
      "FOOBAR_LOG_MAX_FILE_SIZE_MB", "1", "FOOBAR_LOG_MAX_FILES", "2"));
    Logger logger = context.getLogger("test");
    String line = "x".repeat(1000);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!Files.exists(dir.resolve("app-2.log.2.gz")) && System.nanoTime() < deadline) {
      for (int i = 0; i < 500; i++) {
        logger.info(line);
      }
      Thread.sleep(20);
    }
    assertThat(dir.resolve("app-2.log.1.gz")).exists();
    assertThat(dir.resolve("app-2.log.2.gz")).exists();
    assertThat(dir.resolve("app-2.log.3.gz")).doesNotExist();
    assertThat(Files.size(dir.resolve("app-2.log"))).isLessThan(3L * 1024 * 1024);
  }

  private void configure(Map<String, String> environment) {
    new LogSetup().configure(context, LogSettings.from(environment::get));
  }

  private void logInRequest(String requestId, String message) throws Exception {
    CompletableFuture<Void> done = new CompletableFuture<>();
    vertx.getOrCreateContext().runOnContext(v -> {
      RequestContext.set(requestId);
      context.getLogger("test").info(message);
      done.complete(null);
    });
    done.get(5, TimeUnit.SECONDS);
  }

  @SuppressWarnings("unused")
  private static String read(Path file) throws IOException {
    return Files.readString(file);
  }
}
