package com.foobar.platform.app.web;

import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;

import java.io.File;

/**
 * The one place the app uses Vert.x internals ({@code io.vertx.core.internal}), so an upgrade that changes them
 * breaks here and in {@code VertxInternalsTest}, nowhere else. Vert.x has no public API that gives the file a
 * class-path resource is served from.
 */
final class VertxInternals {

  private VertxInternals() {
  }

  /**
   * The file Vert.x's file resolver serves {@code name} from: a class-path resource (a jar's {@code webroot/}) is
   * unpacked into Vert.x's file cache once, a directory with everything in it, so it can be served from disk.
   * The result need not exist.
   */
  static File classPathFile(Vertx vertx, String name) {
    return ((VertxInternal) vertx).fileResolver().resolve(name);
  }
}
