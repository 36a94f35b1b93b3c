package com.foobar.platform.app.web;

import io.vertx.core.buffer.Buffer;

import java.util.Iterator;
import java.util.LinkedHashMap;

/** Response bodies kept in memory up to a byte budget, least recently used dropped first. Event-loop confined. */
final class BodyCache {

  private final long budget;
  private final LinkedHashMap<String, Buffer> bodies = new LinkedHashMap<>(64, 0.75f, true);
  private long bytes;

  BodyCache(long budget) {
    this.budget = budget;
  }

  synchronized Buffer get(String key) {
    return bodies.get(key);
  }

  synchronized void put(String key, Buffer body) {
    if (body.length() > budget) {
      return;
    }
    Buffer previous = bodies.put(key, body);
    bytes += body.length() - (previous == null ? 0 : previous.length());
    Iterator<Buffer> eldest = bodies.values().iterator();
    while (bytes > budget && eldest.hasNext()) {
      bytes -= eldest.next().length();
      eldest.remove();
    }
  }
}
