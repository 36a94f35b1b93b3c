package com.foobar.platform.system;

import com.foobar.platform.testing.FreePorts;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;

/**
 * Balancer processes on fixed ports, as an operator runs them: a restart starts a second process on the same
 * ports (SO_REUSEPORT) beside the first. Admin calls carry the management token.
 */
final class BalancerProcess {

  static final String TOKEN = "balancer-process-test-token";
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  final int port = FreePorts.next();
  final int managementPort = FreePorts.next();

  /** The config for these ports, with the test's backends and extras. */
  JsonObject config(List<String> backends, JsonObject extras) {
    return new JsonObject().put("port", port)
      .put("management", new JsonObject().put("port", managementPort))
      .put("backends", new io.vertx.core.json.JsonArray(backends))
      .put("healthCheckIntervalMs", 200).put("slowStartMs", 0).put("accessLog", "off")
      .put("shutdownTimeoutMs", 8000).put("keepAliveTimeoutSeconds", 2)
      // One test client is one address opening many connections and writes: the shipped per-client limits would
      // (rightly) refuse it. WriteLimitsTest proves the limits; these tests prove availability.
      .mergeIn(Topology.NO_LIMITS.copy(), true)
      .mergeIn(extras, true);
  }

  TierProcess start(String name, JsonObject config) {
    return started(name, TierProcess.start(name, "lb-verticle", config,
      List.of("-Dfoobar.management.token=" + TOKEN), List.of()));
  }

  /** Waits until {@code process} answers; one that exits or never answers is killed, so no test leaks it. */
  private TierProcess started(String name, TierProcess process) {
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> !process.alive() || answersAs(process.pid()));
      if (!process.alive()) {
        throw new AssertionError(name + " exited while starting\n" + process.tail());
      }
      return process;
    } catch (RuntimeException | AssertionError e) {
      process.close();
      throw e;
    }
  }

  /** The management port answered /health from that process (during a takeover two share the port). */
  boolean answersAs(long pid) {
    // A client of its own: a pooled keep-alive connection would keep reaching the process it first reached.
    HttpClient fresh = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    try {
      HttpResponse<String> response = fresh.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort
        + "/health")).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
      return response.body().contains("\"pid\":" + pid);
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** An admin call; the answer's status and body. */
  HttpResponse<String> admin(String method, String path, String json) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + path))
      .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + TOKEN)
      .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
    if (json != null) {
      request.header("Content-Type", "application/json");
    }
    try {
      return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  JsonObject backend(String name) {
    return new JsonObject(admin("GET", "/admin/backends/" + name, null).body());
  }

  /** The takeover of a restart: a new process beside {@code old}, then the old one stops (SIGTERM) and drains. */
  TierProcess restart(TierProcess old, String name) {
    TierProcess next = started(name, TierProcess.start(name, "lb-verticle", new JsonObject(read(old.conf)),
      List.of("-Dfoobar.management.token=" + TOKEN), List.of()));
    try {
      old.stop();
    } catch (AssertionError e) {
      next.close();
      throw e;
    }
    return next;
  }

  private static String read(java.nio.file.Path file) {
    try {
      return java.nio.file.Files.readString(file);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
