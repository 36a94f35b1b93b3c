package com.foobar.platform.common.launch;

import com.foobar.platform.common.TierConfig;
import com.foobar.platform.common.config.Problems;
import com.foobar.platform.common.config.Settings;
import io.vertx.core.json.JsonObject;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar <tier>.jar --check -conf <file>}: validates the file and the environment exactly as a start
 * would (the tier's declarations, its environment overrides, then its own checks), prints every problem and every
 * warning, and exits 0 when the tier would start with it, 1 when not, without starting anything (as
 * {@code haproxy -c} does).
 */
public final class ConfigCheck {

  /** Exit status when the configuration is valid. */
  public static final int VALID = 0;
  /** Exit status when it is not (or cannot be read). */
  public static final int INVALID = 1;
  /** Exit status when the jar declares no options to check. */
  public static final int NOTHING_TO_CHECK = 2;

  private ConfigCheck() {
  }

  /** Checks the {@code -conf} of {@code args} with {@code environment}; prints on {@code out}; the exit status. */
  public static int run(TierDefinition tier, String[] args, Map<String, String> environment, PrintStream out) {
    if (tier == null) {
      out.println("this jar declares no options to check (no " + TierDefinition.class.getName() + ")");
      return NOTHING_TO_CHECK;
    }
    String conf = LaunchConfig.confArgument(args);
    String what = (conf == null ? "the defaults" : conf.trim().startsWith("{") ? "the inline -conf JSON" : conf)
      + " with the " + tier.envPrefix() + "* environment (" + tier.name() + ")";
    JsonObject file;
    try {
      file = conf == null ? new JsonObject() : LaunchConfig.parse(conf);
    } catch (IllegalArgumentException | UncheckedIOException e) {
      out.println(what + ": cannot be read: " + e.getMessage());
      return INVALID;
    }
    Problems problems = new Problems();
    Settings settings = TierConfig.bind(tier.schema(), file, environment, tier.envPrefix(), problems);
    List<String> errors = new ArrayList<>(problems.errors());
    if (errors.isEmpty()) {
      errors.addAll(tier.problems(settings, List.of(args).contains("-cluster")));
    }
    problems.warnings().forEach(warning -> out.println("warning: " + warning));
    if (errors.isEmpty()) {
      out.println(what + ": valid");
      return VALID;
    }
    out.println(what + ": " + errors.size() + (errors.size() == 1 ? " problem" : " problems"));
    errors.forEach(error -> out.println("  " + error));
    return INVALID;
  }
}
