package com.foobar.platform.lb;

import io.vertx.core.json.JsonObject;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.SocketAddress;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One application server behind the balancer, with its health state. Active checks and passive observations
 * (failed connections) both feed {@link #recordSuccess()} and {@link #recordFailure(String)}: {@code fall}
 * failures in a row take it down, {@code rise} successes in a row bring it back.
 */
final class Backend {

  enum State { UP, DOWN }

  private final String name;
  private final SocketAddress address;
  private final int rise;
  private final int fall;
  private volatile State state = State.UP;
  private volatile Instant since = Instant.now();
  private volatile String lastError;
  private int successesInRow;
  private int failuresInRow;
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final AtomicInteger active = new AtomicInteger();

  Backend(HostAndPort hostAndPort, int rise, int fall) {
    this.name = hostAndPort.host() + ":" + hostAndPort.port();
    this.address = SocketAddress.inetSocketAddress(hostAndPort.port(), hostAndPort.host());
    this.rise = rise;
    this.fall = fall;
  }

  String name() {
    return name;
  }

  SocketAddress address() {
    return address;
  }

  boolean isUp() {
    return state == State.UP;
  }

  State state() {
    return state;
  }

  /** Returns true when this success brought the backend back up. */
  synchronized boolean recordSuccess() {
    failuresInRow = 0;
    successesInRow++;
    if (state == State.DOWN && successesInRow >= rise) {
      changeState(State.UP);
      lastError = null;
      return true;
    }
    if (state == State.UP) {
      lastError = null;
    }
    return false;
  }

  /** Returns true when this failure took the backend down. */
  synchronized boolean recordFailure(String error) {
    successesInRow = 0;
    failuresInRow++;
    lastError = error;
    if (state == State.UP && failuresInRow >= fall) {
      changeState(State.DOWN);
      return true;
    }
    return false;
  }

  private void changeState(State next) {
    state = next;
    since = Instant.now();
  }

  void requestStarted() {
    requests.incrementAndGet();
    active.incrementAndGet();
  }

  void requestEnded(boolean failed) {
    active.decrementAndGet();
    if (failed) {
      failures.incrementAndGet();
    }
  }

  String lastError() {
    return lastError;
  }

  JsonObject toJson() {
    return new JsonObject()
      .put("name", name)
      .put("state", state.name())
      .put("since", since.toString())
      .put("requests", requests.get())
      .put("failures", failures.get())
      .put("active", active.get())
      .put("lastError", lastError);
  }
}
