package com.foobar.platform.app.posts;

/** A request claimed to be the synthetic probe's without the management token ({@link ProbeRequests}). */
public final class ProbeRefused extends RuntimeException {

  ProbeRefused() {
    super(ProbeRequests.HEADER + " must carry this site's management token", null, false, false);
  }
}
