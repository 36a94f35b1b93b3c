package com.foobar.platform.lb.backend;

import com.foobar.platform.lb.LoadBalancerOptions;

import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One application server behind the balancer: its health (UP/DOWN from active checks and passive observation),
 * the operator's say (READY/DRAIN/MAINT from the admin API), its weight with slow start, its request slots
 * ({@link BackendSlots}) and counters. One instance is shared by every verticle instance of a deployment, so
 * everything here is thread-safe.
 */
public final class Backend {

  /** The state reported to operators: MAINT and DRAIN (set by an operator) win over UP/DOWN (from checks). */
  public enum State { UP, DOWN, DRAIN, MAINT }

  /** What an operator set; READY hands the backend back to its health checks. */
  public enum Admin { READY, DRAIN, MAINT }

  /** Weights are scaled so slow start can hand out fractions of a weight of 1. */
  public static final int SCALE = 64;

  private final BackendSpec spec;
  private final SocketAddress address;
  /** Check settings: replaced by a configuration reload ({@link #configure}). */
  private volatile int rise;
  private volatile int fall;
  private volatile int errorLimit;
  private volatile int slowStart;
  private final BackendSlots slots;
  private volatile int weight;
  private volatile boolean healthy = true;
  private volatile Admin admin = Admin.READY;
  private volatile Instant since = Instant.now();
  /** Who put the backend in DRAIN or MAINT, as the admin API was told; null while READY. */
  private volatile String adminBy;
  /** When the backend last came back up; 0 at start so a fresh balancer does not slow-start everything. */
  private volatile long upAtNanos;
  private volatile String lastError;
  /** When the backend last gave a good answer to forwarded traffic (System.nanoTime). */
  private volatile long lastAnswerNanos;
  private volatile JsonObject lastCheck;
  private int successesInRow;
  private int failuresInRow;
  /** Written under the lock, read without it so that a good answer after a good answer takes no lock. */
  private volatile int errorsInRow;
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final AtomicLong checkFailures = new AtomicLong();
  private final AtomicInteger active = new AtomicInteger();

  public Backend(BackendSpec spec, LoadBalancerOptions options) {
    this.spec = spec;
    this.address = SocketAddress.inetSocketAddress(spec.address().port(), spec.address().host());
    this.weight = spec.weight();
    configure(options);
    this.slots = new BackendSlots(options.maxConnectionsPerBackend(), options.maxQueuePerBackend());
  }

  /** Takes the check settings (rise, fall, errorLimit, slowStart) of a new configuration. */
  public void configure(LoadBalancerOptions options) {
    this.rise = options.rise();
    this.fall = options.fall();
    this.errorLimit = options.errorLimit();
    this.slowStart = options.slowStartMs();
  }

  public String name() {
    return spec.name();
  }

  public SocketAddress address() {
    return address;
  }

  public BackendSlots slots() {
    return slots;
  }

  /** Whether new requests may go here: healthy and neither draining nor in maintenance. */
  public boolean takesTraffic() {
    return healthy && admin == Admin.READY;
  }

  public boolean isUp() {
    return healthy;
  }

  public Admin admin() {
    return admin;
  }

  /** Who set DRAIN or MAINT, or null. */
  public String adminBy() {
    return adminBy;
  }

  public State state() {
    if (admin == Admin.MAINT) {
      return State.MAINT;
    }
    if (admin == Admin.DRAIN) {
      return State.DRAIN;
    }
    return healthy ? State.UP : State.DOWN;
  }

  /** The operator's state; {@code by} says who set it (kept while DRAIN or MAINT, for the monitor and the page). */
  public void setAdmin(Admin next, String by) {
    adminBy = next == Admin.READY ? null : by;
    if (admin != next) {
      boolean wasServing = admin != Admin.READY;
      admin = next;
      since = Instant.now();
      if (wasServing && next == Admin.READY) {
        upAtNanos = System.nanoTime();
      }
    }
  }

  public int weight() {
    return weight;
  }

  public void setWeight(int weight) {
    this.weight = weight;
  }

  /** The weight now, times {@link #SCALE}; ramps up linearly during slow start (never below 1). */
  public int effectiveWeight(long nowNanos) {
    int full = weight * SCALE;
    long since = upAtNanos;
    if (slowStart == 0 || since == 0) {
      return full;
    }
    long elapsedMs = (nowNanos - since) / 1_000_000;
    return elapsedMs >= slowStart ? full : (int) Math.max(1, full * elapsedMs / slowStart);
  }

  /** An active check passed. Returns true when it brought the backend back up. */
  synchronized boolean recordSuccess() {
    failuresInRow = 0;
    successesInRow++;
    if (!healthy && successesInRow >= rise) {
      setHealthy(true);
      errorsInRow = 0;
      lastError = null;
      return true;
    }
    return false;
  }

  /** An active check failed. Returns true when this failure took the backend down. */
  synchronized boolean recordFailure(String error) {
    return recordFailure(error, true);
  }

  /**
   * A check or a connection failed. Returns true when this failure took the backend down; with
   * {@code mayEject} false (passive evidence about the last backend taking traffic) it is recorded, not acted on.
   */
  synchronized boolean recordFailure(String error, boolean mayEject) {
    successesInRow = 0;
    failuresInRow++;
    lastError = error;
    if (healthy && mayEject && failuresInRow >= fall) {
      setHealthy(false);
      return true;
    }
    return false;
  }

  /** {@link #observeError}: nothing changed, the backend was taken out, or it reached the limit but was spared. */
  static final int OBSERVED = 0;
  static final int EJECTED = 1;
  static final int SPARED = 2;

  /** A good answer: ends a run of errors. Takes no lock while there is no run (the usual case). */
  void observeSuccess() {
    lastAnswerNanos = System.nanoTime();
    if (errorsInRow != 0) {
      resetErrors();
    }
  }

  /** Whether forwarded traffic got a good answer from this backend after {@code nanos} (System.nanoTime). */
  boolean answeredSince(long nanos) {
    return lastAnswerNanos - nanos > 0;
  }

  private synchronized void resetErrors() {
    errorsInRow = 0;
  }

  /**
   * Passive observation of a server-caused failure (HAProxy's observe layer7): a run of {@code errorLimit} of
   * them marks the backend down, unless {@code mayEject} is false (it is the last backend taking traffic: then
   * active checks decide). Returns {@link #EJECTED} when it took the backend out, {@link #SPARED} when the run
   * reached the limit and the backend was kept (once per run), else {@link #OBSERVED}.
   */
  synchronized int observeError(String what, boolean mayEject) {
    errorsInRow++;
    if (errorLimit == 0 || !healthy || errorsInRow < errorLimit) {
      return OBSERVED;
    }
    lastError = errorsInRow + " errors in a row, last: " + what;
    if (!mayEject) {
      return errorsInRow == errorLimit ? SPARED : OBSERVED;
    }
    successesInRow = 0;
    setHealthy(false);
    return EJECTED;
  }

  private void setHealthy(boolean next) {
    healthy = next;
    since = Instant.now();
    if (next) {
      upAtNanos = System.nanoTime();
    }
  }

  void checked(int status, long millis, String error) {
    if (error != null) {
      checkFailures.incrementAndGet();
    }
    lastCheck = new JsonObject().put("at", Instant.now().toString()).put("status", status).put("durationMs", millis)
      .put("passed", error == null).put("error", error);
  }

  public void requestStarted() {
    requests.incrementAndGet();
    active.incrementAndGet();
  }

  public void requestEnded(boolean failed) {
    active.decrementAndGet();
    if (failed) {
      failures.incrementAndGet();
    }
  }

  public int active() {
    return active.get();
  }

  public long requests() {
    return requests.get();
  }

  public long checkFailures() {
    return checkFailures.get();
  }

  String lastError() {
    return lastError;
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("name", name())
      .put("state", state().name())
      .put("health", healthy ? "UP" : "DOWN")
      .put("since", since.toString())
      .put("adminBy", adminBy)
      .put("weight", weight)
      .put("effectiveWeight", effectiveWeight(System.nanoTime()) / (double) SCALE)
      .put("requests", requests.get())
      .put("failures", failures.get())
      .put("active", active.get())
      .put("queued", slots.queued())
      .put("checkFailures", checkFailures.get())
      .put("lastCheck", lastCheck)
      .put("lastError", lastError);
  }
}
