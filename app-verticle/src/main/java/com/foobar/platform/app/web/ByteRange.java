package com.foobar.platform.app.web;

/**
 * One byte range of a {@code Range: bytes=...} header (RFC 9110 section 14), resolved against the file's length:
 * {@code bytes=N-M}, the open {@code bytes=N-} and the suffix {@code bytes=-N}. Several ranges in one header are
 * not served as multipart (the header is ignored and the whole file sent, which the RFC allows).
 */
record ByteRange(long start, long end) {

  /** The range could be parsed but selects no byte of the file: answer 416. */
  static final ByteRange UNSATISFIABLE = new ByteRange(-1, -1);

  /**
   * @return the range, {@link #UNSATISFIABLE}, or {@code null} when the header is to be ignored (not bytes,
   *   malformed, or several ranges)
   */
  static ByteRange parse(String header, long length) {
    if (header == null || !header.regionMatches(true, 0, "bytes=", 0, 6)) {
      return null;
    }
    String spec = header.substring(6).trim();
    int dash = spec.indexOf('-');
    if (dash < 0 || spec.indexOf(',') >= 0) {
      return null;
    }
    try {
      String first = spec.substring(0, dash).trim();
      String last = spec.substring(dash + 1).trim();
      if (first.isEmpty()) {
        return suffix(Long.parseLong(last), length);
      }
      long start = Long.parseLong(first);
      long end = last.isEmpty() ? Long.MAX_VALUE : Long.parseLong(last);
      if (start < 0 || end < start) {
        return null;
      }
      return start >= length ? UNSATISFIABLE : new ByteRange(start, Math.min(end, length - 1));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static ByteRange suffix(long count, long length) {
    if (count < 0) {
      return null;
    }
    return count == 0 || length == 0 ? UNSATISFIABLE : new ByteRange(Math.max(0, length - count), length - 1);
  }

  long length() {
    return end - start + 1;
  }

  String contentRange(long fileLength) {
    return "bytes " + start + "-" + end + "/" + fileLength;
  }
}
