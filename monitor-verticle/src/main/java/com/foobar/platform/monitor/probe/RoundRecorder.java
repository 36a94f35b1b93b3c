package com.foobar.platform.monitor.probe;

import java.time.Instant;

/** Where the probe loop puts what each round found: the status board. Called on the monitor's event loop. */
public interface RoundRecorder {

  /** What one probe found about one component at {@code at}. */
  void record(Component component, Observation observation, Instant at);

  /** Every probe of the round has been recorded. */
  void roundCompleted(Instant at);
}
