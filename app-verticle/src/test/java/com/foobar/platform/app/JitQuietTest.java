package com.foobar.platform.app;

import org.junit.jupiter.api.Test;

import javax.management.ObjectName;
import java.lang.management.CompilationMXBean;

import static org.assertj.core.api.Assertions.assertThat;

/** When the warm-up calls the JIT quiet: by the compilers' own clock, window after window. */
class JitQuietTest {

  @Test
  void compilersBusyEveryWindowAreNeverQuiet() {
    WarmUp.JitQuiet quiet = new WarmUp.JitQuiet(new Compilers(300));
    for (int window = 0; window < 10; window++) {
      assertThat(quiet.quietAfterWindow()).isFalse();
    }
  }

  @Test
  void quietAfterTwoWindowsWithAlmostNoCompilation() {
    Compilers compilers = new Compilers(400);
    WarmUp.JitQuiet quiet = new WarmUp.JitQuiet(compilers);
    assertThat(quiet.quietAfterWindow()).as("the first reading only sets the clock").isFalse();
    assertThat(quiet.quietAfterWindow()).isFalse();
    compilers.perWindowMs = 10;
    assertThat(quiet.quietAfterWindow()).as("one quiet window is not enough").isFalse();
    assertThat(quiet.quietAfterWindow()).isTrue();
  }

  @Test
  void aBusyWindowStartsTheCountAgain() {
    Compilers compilers = new Compilers(10);
    WarmUp.JitQuiet quiet = new WarmUp.JitQuiet(compilers);
    quiet.quietAfterWindow();
    assertThat(quiet.quietAfterWindow()).isFalse();
    compilers.perWindowMs = 200;
    assertThat(quiet.quietAfterWindow()).isFalse();
    compilers.perWindowMs = 10;
    assertThat(quiet.quietAfterWindow()).isFalse();
    assertThat(quiet.quietAfterWindow()).isTrue();
  }

  @Test
  void aJvmThatDoesNotTimeItsCompilersIsNeverQuiet() {
    Compilers compilers = new Compilers(0);
    compilers.supported = false;
    WarmUp.JitQuiet quiet = new WarmUp.JitQuiet(compilers);
    for (int window = 0; window < 5; window++) {
      assertThat(quiet.quietAfterWindow()).isFalse();
    }
  }

  /** Compilers that spend {@code perWindowMs} per reading. */
  private static final class Compilers implements CompilationMXBean {
    private long totalMs;
    private long perWindowMs;
    private boolean supported = true;

    Compilers(long perWindowMs) {
      this.perWindowMs = perWindowMs;
    }

    @Override
    public String getName() {
      return "test compilers";
    }

    @Override
    public boolean isCompilationTimeMonitoringSupported() {
      return supported;
    }

    @Override
    public long getTotalCompilationTime() {
      totalMs += perWindowMs;
      return totalMs;
    }

    @Override
    public ObjectName getObjectName() {
      return null;
    }
  }
}
