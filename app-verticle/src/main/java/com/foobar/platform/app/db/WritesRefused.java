package com.foobar.platform.app.db;

/** Two nodes are writable at once: writes are refused, never split, until one of them is fenced. */
public final class WritesRefused extends RuntimeException {

  WritesRefused(String why) {
    super(why, null, false, false);
  }
}
