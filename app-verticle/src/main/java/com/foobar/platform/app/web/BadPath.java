package com.foobar.platform.app.web;

/** A request path that is malformed or tries to leave the document root ({@link RequestPaths}). */
public final class BadPath extends RuntimeException {

  BadPath(String message) {
    super(message, null, false, false);
  }
}
