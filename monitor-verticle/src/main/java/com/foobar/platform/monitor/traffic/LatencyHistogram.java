package com.foobar.platform.monitor.traffic;

import java.util.Map;
import java.util.TreeMap;

/**
 * Prometheus histogram arithmetic on cumulative buckets (upper bound in seconds to the count of observations
 * at or below it, {@code +Inf} included): the difference of two scrapes and a quantile interpolated linearly
 * within its bucket, as PromQL's {@code histogram_quantile} does.
 */
final class LatencyHistogram {

  private LatencyHistogram() {
  }

  /** A bucket's {@code le} label as a number ({@code +Inf} is positive infinity). */
  static double bound(String le) {
    if (le == null) {
      throw new IllegalArgumentException("a histogram bucket without an le label");
    }
    return "+Inf".equals(le) ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
  }

  /** {@code now} minus {@code before}, bucket by bucket (a bucket new in {@code now} counts from zero). */
  static TreeMap<Double, Double> minus(TreeMap<Double, Double> now, TreeMap<Double, Double> before) {
    TreeMap<Double, Double> delta = new TreeMap<>();
    for (Map.Entry<Double, Double> bucket : now.entrySet()) {
      delta.put(bucket.getKey(), bucket.getValue() - before.getOrDefault(bucket.getKey(), 0.0));
    }
    return delta;
  }

  /**
   * The {@code q} quantile in milliseconds, or null without observations. Within a bucket the observations are
   * taken as spread evenly; a quantile in the {@code +Inf} bucket is the highest finite bound.
   */
  static Double quantileMs(TreeMap<Double, Double> buckets, double q) {
    Double total = buckets.get(Double.POSITIVE_INFINITY);
    if (total == null || total <= 0) {
      return null;
    }
    double rank = q * total;
    double lowerBound = 0;
    double lowerCount = 0;
    for (Map.Entry<Double, Double> bucket : buckets.entrySet()) {
      double upperBound = bucket.getKey();
      double count = bucket.getValue();
      if (count >= rank) {
        if (Double.isInfinite(upperBound)) {
          return 1000 * lowerBound;
        }
        double inBucket = count - lowerCount;
        double fraction = inBucket <= 0 ? 1 : (rank - lowerCount) / inBucket;
        return 1000 * (lowerBound + (upperBound - lowerBound) * fraction);
      }
      lowerBound = upperBound;
      lowerCount = count;
    }
    return 1000 * lowerBound;
  }
}
