package com.foobar.platform.lb;

import com.foobar.platform.testing.Await;
import com.foobar.platform.testing.FreePorts;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The design's promise: killing one of two app servers with SIGKILL during a steady GET load costs no failed
 * request. The backends are real processes ({@code python3 -m http.server} serving a directory with
 * {@code healthz} and {@code index.html}); one is killed with {@link Process#destroyForcibly()} mid-loop.
 */
@ExtendWith(VertxExtension.class)
class BackendKillTest extends BalancerTestBase {

  private final List<Process> processes = new ArrayList<>();
  private Path root;

  @BeforeEach
  void files(Vertx vertx) throws IOException {
    this.vertx = vertx;
    root = Files.createTempDirectory("lb-kill");
    Files.writeString(root.resolve("healthz"), "ok");
    Files.writeString(root.resolve("index.html"), "<p>hello</p>");
  }

  @AfterEach
  void killAll() {
    processes.forEach(Process::destroyForcibly);
  }

  private String startBackend() throws IOException {
    int port = FreePorts.next();
    Process process = new ProcessBuilder("python3", "-m", "http.server", "--bind", "127.0.0.1",
      "--directory", root.toString(), Integer.toString(port))
      .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    processes.add(process);
    await().atMost(Duration.ofSeconds(20)).until(() -> accepts(port));
    return "127.0.0.1:" + port;
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Test
  void killingOneOfTwoServersUnderAGetLoopFailsNoRequest() throws IOException {
    String first = startBackend();
    String second = startBackend();
    deploy(new JsonArray().add(first).add(second), new JsonObject().put("accessLog", "off"));
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      if (i == 100) {
        processes.get(0).destroyForcibly();
      }
      HttpResponse<Buffer> response = Await.result(client.get("/index.html").send());
      if (response.statusCode() != 200 || !response.bodyAsString().contains("hello")) {
        failures.add(i + ": " + response.statusCode() + " " + response.bodyAsString());
      }
    }
    assertThat(failures).isEmpty();
    assertThat(states()).containsEntry(first, "DOWN").containsEntry(second, "UP");
  }
}
