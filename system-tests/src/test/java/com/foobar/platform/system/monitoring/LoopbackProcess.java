package com.foobar.platform.system.monitoring;

import com.foobar.platform.testing.FreePorts;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Debian server binary (prometheus, prometheus-alertmanager) run by a test: its own temporary directory, an
 * ephemeral loopback port, started and waited for ready; {@link #close()} stops it and deletes the directory.
 */
abstract class LoopbackProcess implements AutoCloseable {

  private static final Duration READY = Duration.ofSeconds(60);

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final Path dir;
  private final int port;
  private Process process;

  LoopbackProcess(String name) {
    try {
      this.dir = Files.createTempDirectory("foobar-" + name + "-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.port = FreePorts.next();
  }

  /** Writes a file into the server's directory (configuration, rule files) and returns its path. */
  public Path write(String file, String text) {
    try {
      return Files.writeString(dir.resolve(file), text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts the binary with the given arguments, output to {@code server.log}, and waits for {@code /-/ready}. */
  void launch(List<String> command) {
    try {
      process = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true)
        .redirectOutput(dir.resolve("server.log").toFile()).start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    long deadline = System.nanoTime() + READY.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(command.get(0) + " exited " + process.exitValue() + ":\n" + log());
      }
      if (status("GET", "/-/ready") == 200) {
        return;
      }
      sleep(200);
    }
    close();
    throw new IllegalStateException(command.get(0) + " not ready within " + READY + ":\n" + log());
  }

  public Path dir() {
    return dir;
  }

  public int port() {
    return port;
  }

  /** The address the server answers on, e.g. {@code http://127.0.0.1:41234}. */
  public String url() {
    return "http://127.0.0.1:" + port;
  }

  /** The server's own output, for assertion messages. */
  public String log() {
    try {
      return Files.readString(dir.resolve("server.log"));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  JsonObject getJson(String path) {
    return new JsonObject(getText(path));
  }

  String getText(String path) {
    return send(HttpRequest.newBuilder(URI.create(url() + path)).GET(), path);
  }

  String postJson(String path, String body) {
    return send(HttpRequest.newBuilder(URI.create(url() + path)).header("Content-Type", "application/json")
      .POST(HttpRequest.BodyPublishers.ofString(body)), path);
  }

  int status(String method, String path) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(5))
        .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding())
        .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private String send(HttpRequest.Builder request, String path) {
    try {
      HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() / 100 != 2) {
        throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
      }
      return response.body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    if (process != null) {
      process.destroy();
      try {
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    try (var paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException ignored) {
      // best effort: a leftover temp dir is not worth failing a test for
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
