package com.foobar.platform.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the external tools the monitoring tests use (promtool, prometheus, chromium) and reports their output. */
final class Processes {

  /** Exit code and combined output of a finished process. */
  record Result(int exitCode, String output) {
  }

  private Processes() {
  }

  static Result run(List<String> command, String stdin, int timeoutSeconds) {
    try {
      Path output = Files.createTempFile("foobar-process-", ".out");
      Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
      try (var in = process.getOutputStream()) {
        if (stdin != null) {
          in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
      }
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new AssertionError(command + " did not finish within " + timeoutSeconds + " s");
      }
      String text = Files.readString(output);
      Files.deleteIfExists(output);
      return new Result(process.exitValue(), text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
