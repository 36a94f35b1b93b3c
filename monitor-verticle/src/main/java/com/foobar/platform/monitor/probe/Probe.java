package com.foobar.platform.monitor.probe;

import io.vertx.core.Future;

import java.util.List;
import java.util.Map;

/**
 * A check of one target, run once per round. One probe may report on several components (a replica reports
 * on its node and on the replication into it), so a result maps component names to observations.
 */
interface Probe {

  /** The components this probe reports on; the first names the probe (its duration metric's label). */
  List<Component> components();

  /**
   * Runs one check. A target that answers "down" is a succeeded future with down observations; a target that
   * cannot be asked fails the future, and the loop then asks {@link #failed} for the observations.
   */
  Future<Map<String, Observation>> run();

  /** Observations for every component when the check could not complete (unreachable, timed out). */
  Map<String, Observation> failed(String reason);

  /** How long the loop waits for {@link #run} before it counts the check as timed out. */
  default long boundMs(long timeoutMs) {
    return timeoutMs;
  }

  Future<Void> close();
}
