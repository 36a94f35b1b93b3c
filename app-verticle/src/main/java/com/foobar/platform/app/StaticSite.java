package com.foobar.platform.app;

import io.vertx.ext.web.handler.FileSystemAccess;
import io.vertx.ext.web.handler.StaticHandler;

import java.nio.file.Files;
import java.nio.file.Path;

/** The site's static files: an operator's directory when configured, else the site built into the jar. */
final class StaticSite {

  static final String BUILT_IN_ROOT = "webroot";

  private StaticSite() {
  }

  static StaticHandler handler(String webRoot) {
    StaticHandler handler;
    if (webRoot == null) {
      handler = StaticHandler.create(BUILT_IN_ROOT);
    } else {
      Path root = Path.of(webRoot).toAbsolutePath().normalize();
      if (!Files.isDirectory(root)) {
        throw new IllegalArgumentException("webRoot " + root + " is not a directory");
      }
      handler = StaticHandler.create(FileSystemAccess.ROOT, root.toString());
    }
    return handler.setIncludeHidden(false).setDirectoryListing(false).setIndexPage("index.html");
  }
}
