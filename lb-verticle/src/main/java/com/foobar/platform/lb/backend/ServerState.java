package com.foobar.platform.lb.backend;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The operator's changes to the backends, kept across restarts (HAProxy's {@code server-state-file}): which
 * backends were added or removed through the admin API, and the state and weight an operator set on each. Written
 * whole on every change, atomically (a temporary file in the same folder, synced, then renamed over the old one),
 * so a crash mid-write leaves the previous version; read once at start, before the first request. Format:
 * <pre>{"version":1,"backends":[{"address":"h:p","state":"DRAIN","weight":2,"added":true}],"removed":["h:p"]}</pre>
 * Backends found through cluster discovery are not kept: the cluster announces them again.
 */
public final class ServerState {

  public static final int VERSION = 1;

  private final Path file;

  public ServerState(String file) {
    this.file = file.isEmpty() ? null : Path.of(file).toAbsolutePath();
  }

  public boolean enabled() {
    return file != null;
  }

  public String file() {
    return String.valueOf(file);
  }

  /** The saved state, or an empty one when there is no file yet; a file that cannot be read is an error. */
  public JsonObject load() {
    if (file == null || !Files.exists(file)) {
      return empty();
    }
    try {
      JsonObject saved = new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
      if (saved.getInteger("version", 0) != VERSION) {
        throw new IllegalArgumentException("server state file " + file + " has version " + saved.getValue("version")
          + ", this balancer reads version " + VERSION);
      }
      return saved;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the server state file " + file, e);
    } catch (io.vertx.core.json.DecodeException e) {
      throw new IllegalArgumentException("the server state file " + file + " is not JSON: " + e.getMessage(), e);
    }
  }

  public static JsonObject empty() {
    return new JsonObject().put("version", VERSION).put("backends", new JsonArray()).put("removed", new JsonArray());
  }

  /** Writes {@code state} atomically off the event loop; saves run in the order they were asked for. */
  public Future<Void> save(Vertx vertx, JsonObject state) {
    if (file == null) {
      return Future.succeededFuture();
    }
    byte[] bytes = state.encodePrettily().getBytes(StandardCharsets.UTF_8);
    return vertx.executeBlocking(() -> {
      write(bytes);
      return null;
    }, true);
  }

  private void write(byte[] bytes) throws IOException {
    Path dir = file.getParent();
    Files.createDirectories(dir);
    Path temp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        channel.write(java.nio.ByteBuffer.wrap(bytes));
        channel.force(true);
      }
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
