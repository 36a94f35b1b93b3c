package com.foobar.platform.testing;

import com.foobar.platform.common.config.KeyTable;
import com.foobar.platform.common.config.Schema;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the README's key tables made from the declarations: the block between {@code <!-- keys:NAME -->} and
 * {@code <!-- /keys:NAME -->} must equal {@link KeyTable#markdown} of the schema. Run a test with
 * {@code -Dfoobar.writeReadme=true} to rewrite the block after changing a declaration.
 */
public final class ReadmeKeys {

  private ReadmeKeys() {
  }

  public static void assertMatches(String name, Schema schema) {
    Path readme = RepoRoot.find().resolve("README.md");
    String text = read(readme);
    String open = "<!-- keys:" + name + " -->\n";
    String close = "<!-- /keys:" + name + " -->";
    int start = text.indexOf(open);
    int end = text.indexOf(close);
    assertThat(start).as("README.md has a block %s ... %s", open.trim(), close).isGreaterThanOrEqualTo(0);
    assertThat(end).as("README.md closes the block with %s", close).isGreaterThan(start);
    String expected = KeyTable.markdown(schema);
    String actual = text.substring(start + open.length(), end);
    if (Boolean.getBoolean("foobar.writeReadme") && !actual.equals(expected)) {
      write(readme, text.substring(0, start + open.length()) + expected + text.substring(end));
      return;
    }
    assertThat(actual).as("README.md's table of %s keys (rewrite it with -Dfoobar.writeReadme=true)", name)
      .isEqualTo(expected);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Path file, String text) {
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
