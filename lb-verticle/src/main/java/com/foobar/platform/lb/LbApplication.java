package com.foobar.platform.lb;

import com.foobar.platform.common.launch.LaunchConfig;
import io.vertx.launcher.application.VertxApplication;

/**
 * The balancer jar's main class: Vert.x's own launcher ({@link VertxApplication}, every option as before), after
 * noting the {@code -conf} argument. Vert.x's launcher reads that file once and hands the verticle only the JSON,
 * and none of its hooks sees the path; a configuration reload ({@link ConfigReload}) has to read the same file
 * again, so it is taken from the command line here.
 */
public final class LbApplication extends VertxApplication {

  /** A subclass, since Vert.x's launcher finds {@code Main-Verticle} in the manifest naming its own class as main. */
  private LbApplication(String[] args) {
    super(args);
  }

  public static void main(String[] args) {
    LaunchConfig.capture(args);
    new LbApplication(args).launch();
  }
}
