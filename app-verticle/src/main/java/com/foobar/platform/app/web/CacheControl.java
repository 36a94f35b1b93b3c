package com.foobar.platform.app.web;

import java.util.List;
import java.util.regex.Pattern;

/** The Cache-Control header per request path: the first configured rule whose pattern matches the whole path. */
final class CacheControl {

  private record Rule(Pattern pattern, String value) {
  }

  private final List<Rule> rules;
  private final String fallback;

  CacheControl(StaticFilesOptions options) {
    this.rules = options.cacheControl().stream()
      .map(rule -> new Rule(Pattern.compile(rule.pattern()), rule.value()))
      .toList();
    this.fallback = options.defaultCacheControl();
  }

  String forPath(String path) {
    for (Rule rule : rules) {
      if (rule.pattern.matcher(path).matches()) {
        return rule.value;
      }
    }
    return fallback;
  }
}
