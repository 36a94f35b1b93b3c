package com.foobar.platform.app;

import com.foobar.platform.testing.ReadmeKeys;
import org.junit.jupiter.api.Test;

/** The README's table of the app's keys is the one made from their declarations. */
class AppReadmeKeysTest {

  @Test
  void theReadmeListsEveryKeyAsDeclared() {
    ReadmeKeys.assertMatches("app", AppOptions.SCHEMA);
  }
}
