package com.foobar.platform.app.web;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** The site's static files: an operator's directory when configured, else the site built into the jar. */
public final class StaticSite {

  static final String BUILT_IN_ROOT = "webroot";

  private StaticSite() {
  }

  public static Handler<RoutingContext> handler(Vertx vertx, String webRoot, StaticFilesOptions options) {
    return new StaticFileHandler(vertx, root(vertx, webRoot), options);
  }

  /**
   * The document root as an absolute directory. The built-in site is resolved through Vert.x's file resolver
   * ({@link VertxInternals#classPathFile}), so every file is then served from disk (and with sendfile) like an
   * operator's own root.
   */
  private static Path root(Vertx vertx, String webRoot) {
    File resolved = webRoot == null ? VertxInternals.classPathFile(vertx, BUILT_IN_ROOT) : new File(webRoot);
    Path root = resolved.toPath().toAbsolutePath().normalize();
    if (!Files.isDirectory(root)) {
      throw new IllegalArgumentException(webRoot == null
        ? "the built-in site (" + BUILT_IN_ROOT + "/ on the class path) cannot be found"
        : "webRoot " + root + " is not a directory");
    }
    return root;
  }
}
