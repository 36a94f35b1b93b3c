package com.foobar.platform.lb.forward;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * The client's request body as it streams to the backend, counted: past {@code max} bytes the rest is dropped
 * and {@code onExceeded} runs once (the proxy then resets the backend request and answers 413). This is how a
 * chunked body, which declares no length up front, is held to maxBodySize.
 */
final class BodyLimit implements ReadStream<Buffer> {

  private final ReadStream<Buffer> source;
  private final long max;
  private final Runnable onExceeded;
  private long received;
  private boolean exceeded;

  BodyLimit(ReadStream<Buffer> source, long max, Runnable onExceeded) {
    this.source = source;
    this.max = max;
    this.onExceeded = onExceeded;
  }

  @Override
  public ReadStream<Buffer> handler(Handler<Buffer> handler) {
    source.handler(handler == null ? null : buffer -> {
      if (exceeded) {
        return;
      }
      received += buffer.length();
      if (received > max) {
        exceeded = true;
        onExceeded.run();
        return;
      }
      handler.handle(buffer);
    });
    return this;
  }

  @Override
  public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    source.exceptionHandler(handler);
    return this;
  }

  @Override
  public ReadStream<Buffer> pause() {
    source.pause();
    return this;
  }

  @Override
  public ReadStream<Buffer> resume() {
    source.resume();
    return this;
  }

  @Override
  public ReadStream<Buffer> fetch(long amount) {
    source.fetch(amount);
    return this;
  }

  @Override
  public ReadStream<Buffer> endHandler(Handler<Void> endHandler) {
    source.endHandler(endHandler == null ? null : v -> {
      if (!exceeded) {
        endHandler.handle(v);
      }
    });
    return this;
  }
}
