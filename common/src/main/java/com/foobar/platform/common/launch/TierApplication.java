package com.foobar.platform.common.launch;

import io.vertx.launcher.application.VertxApplication;

import java.util.Arrays;

/**
 * The main class of every tier's jar: Vert.x's own launcher ({@link VertxApplication}, every option as before),
 * after noting the {@code -conf} argument ({@link LaunchConfig}: Vert.x's launcher reads that file once and none of
 * its hooks sees the path, while the balancer's reload reads it again). With {@code --check} it only validates the
 * configuration ({@link ConfigCheck}) and exits, starting nothing.
 */
public final class TierApplication extends VertxApplication {

  static final String CHECK = "--check";

  /** A subclass, since Vert.x's launcher finds {@code Main-Verticle} in the manifest naming its own class as main. */
  private TierApplication(String[] args) {
    super(args);
  }

  public static void main(String[] args) {
    if (Arrays.asList(args).contains(CHECK)) {
      String[] rest = Arrays.stream(args).filter(arg -> !arg.equals(CHECK)).toArray(String[]::new);
      System.exit(ConfigCheck.run(TierDefinition.find(), rest, System.getenv(), System.out));
    }
    LaunchConfig.capture(args);
    new TierApplication(args).launch();
  }
}
