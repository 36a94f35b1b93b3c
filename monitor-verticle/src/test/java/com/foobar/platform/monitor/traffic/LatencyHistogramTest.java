package com.foobar.platform.monitor.traffic;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LatencyHistogramTest {

  private static TreeMap<Double, Double> buckets(double... boundsAndCounts) {
    TreeMap<Double, Double> buckets = new TreeMap<>();
    for (int i = 0; i < boundsAndCounts.length; i += 2) {
      buckets.put(boundsAndCounts[i], boundsAndCounts[i + 1]);
    }
    return buckets;
  }

  @Test
  void interpolatesWithinTheBucketLikeHistogramQuantile() {
    // 100 observations: 50 up to 10 ms, 40 more up to 50 ms, 10 more up to 100 ms.
    TreeMap<Double, Double> h = buckets(0.01, 50, 0.05, 90, 0.1, 100, Double.POSITIVE_INFINITY, 100);
    // rank 95 lies halfway through the (50 ms, 100 ms] bucket.
    assertThat(LatencyHistogram.quantileMs(h, 0.95)).isCloseTo(75.0, within(1e-9));
    // rank 50 is the top of the first bucket; rank 25 halfway up it (from 0).
    assertThat(LatencyHistogram.quantileMs(h, 0.5)).isCloseTo(10.0, within(1e-9));
    assertThat(LatencyHistogram.quantileMs(h, 0.25)).isCloseTo(5.0, within(1e-9));
  }

  @Test
  void aQuantileInTheInfiniteBucketIsTheHighestFiniteBound() {
    TreeMap<Double, Double> h = buckets(0.01, 10, 1.0, 50, Double.POSITIVE_INFINITY, 100);
    assertThat(LatencyHistogram.quantileMs(h, 0.95)).isEqualTo(1000.0);
  }

  @Test
  void noObservationsNoQuantile() {
    assertThat(LatencyHistogram.quantileMs(buckets(0.01, 0, Double.POSITIVE_INFINITY, 0), 0.95)).isNull();
    assertThat(LatencyHistogram.quantileMs(new TreeMap<>(), 0.95)).isNull();
  }

  @Test
  void theDifferenceOfTwoScrapesIsPerBucket() {
    TreeMap<Double, Double> before = buckets(0.01, 5, Double.POSITIVE_INFINITY, 8);
    TreeMap<Double, Double> now = buckets(0.01, 7, 0.05, 3, Double.POSITIVE_INFINITY, 20);
    assertThat(LatencyHistogram.minus(now, before))
      .containsExactlyEntriesOf(Map.of(0.01, 2.0, 0.05, 3.0, Double.POSITIVE_INFINITY, 12.0).entrySet().stream()
        .collect(TreeMap::new, (m, e) -> m.put(e.getKey(), e.getValue()), TreeMap::putAll));
    assertThat(LatencyHistogram.bound("+Inf")).isInfinite();
    assertThat(LatencyHistogram.bound("0.25")).isEqualTo(0.25);
  }
}
