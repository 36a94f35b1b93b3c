package com.foobar.platform.monitor.traffic;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the Prometheus text exposition format (version 0.0.4) as the tiers' {@code /metrics} serve it: one
 * sample a line, {@code name{label="value",...} value [timestamp]}; comments and blank lines are skipped.
 * Strict: a malformed line is an error, so a broken endpoint is noticed instead of read as "no traffic".
 */
final class Exposition {

  /** One sample line. */
  record Sample(String name, Map<String, String> labels, double value) {
  }

  private Exposition() {
  }

  static List<Sample> parse(String text) {
    List<Sample> samples = new ArrayList<>();
    int lineNumber = 0;
    for (String line : text.split("\n", -1)) {
      lineNumber++;
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      try {
        samples.add(sample(line));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("metrics line " + lineNumber + " is not exposition format: " + line, e);
      }
    }
    return samples;
  }

  private static Sample sample(String line) {
    int brace = line.indexOf('{');
    int space = line.indexOf(' ');
    Map<String, String> labels = new LinkedHashMap<>();
    String name;
    int rest;
    if (brace >= 0 && (space < 0 || brace < space)) {
      name = line.substring(0, brace);
      rest = labels(line, brace + 1, labels);
    } else {
      name = line.substring(0, space);
      rest = space;
    }
    if (!name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
      throw new IllegalArgumentException("bad metric name '" + name + "'");
    }
    String[] fields = line.substring(rest).trim().split(" +");
    if (fields.length < 1 || fields.length > 2 || fields[0].isEmpty()) {
      throw new IllegalArgumentException("expected a value and an optional timestamp");
    }
    return new Sample(name, labels, value(fields[0]));
  }

  /** Parses labels from just after '{'; returns the index after the closing '}'. */
  private static int labels(String line, int from, Map<String, String> labels) {
    int i = from;
    while (line.charAt(i) != '}') {
      int equals = line.indexOf('=', i);
      String label = line.substring(i, equals);
      if (!label.matches("[a-zA-Z_][a-zA-Z0-9_]*") || line.charAt(equals + 1) != '"') {
        throw new IllegalArgumentException("bad label at column " + i);
      }
      StringBuilder value = new StringBuilder();
      i = equals + 2;
      for (char c = line.charAt(i); c != '"'; c = line.charAt(i)) {
        if (c == '\\') {
          char escaped = line.charAt(++i);
          value.append(escaped == 'n' ? '\n' : escaped);
        } else {
          value.append(c);
        }
        i++;
      }
      labels.put(label, value.toString());
      i++;
      if (line.charAt(i) == ',') {
        i++;
      }
    }
    return i + 1;
  }

  private static double value(String text) {
    return switch (text) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(text);
    };
  }
}
