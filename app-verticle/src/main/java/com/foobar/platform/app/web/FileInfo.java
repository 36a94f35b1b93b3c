package com.foobar.platform.app.web;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * What is known about one file at one moment, with the headers derived from it computed once: the strong
 * ETag (of the file's bytes, {@link ContentTags}; none for a directory) and the Last-Modified date.
 */
record FileInfo(String path, boolean exists, boolean directory, long size, long lastModifiedSeconds, String etag,
                String lastModified, String contentType) {

  static final DateTimeFormatter HTTP_DATE =
    DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

  static FileInfo missing(String path) {
    return new FileInfo(path, false, false, 0, 0, null, null, null);
  }

  static FileInfo of(String path, boolean directory, long size, long lastModifiedMillis, String etag) {
    long seconds = Math.floorDiv(lastModifiedMillis, 1000);
    return new FileInfo(path, true, directory, size, seconds, etag,
      HTTP_DATE.format(Instant.ofEpochSecond(seconds)), MimeTypes.contentType(path));
  }

  boolean regularFile() {
    return exists && !directory;
  }
}
