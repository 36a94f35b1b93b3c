package com.foobar.platform.app.posts;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** The listing's micro-cache: shared within its ttl, loaded again after it, never keeping a failure. */
class ListingCacheTest {

  private final AtomicInteger loads = new AtomicInteger();

  private Supplier<Future<Buffer>> load(String body) {
    return () -> {
      loads.incrementAndGet();
      return Future.succeededFuture(Buffer.buffer(body));
    };
  }

  @Test
  void aPageIsQueriedOnceWithinItsTtlAndPerKey() {
    ListingCache cache = new ListingCache(60_000, 16);
    assertThat(cache.page("20/null", load("a")).result().toString()).isEqualTo("a");
    assertThat(cache.page("20/null", load("b")).result().toString()).isEqualTo("a");
    assertThat(cache.page("20/100", load("c")).result().toString()).isEqualTo("c");
    assertThat(loads).hasValue(2);
  }

  @Test
  void requestsArrivingWhileAPageLoadsShareItsQuery() {
    ListingCache cache = new ListingCache(60_000, 16);
    Promise<Buffer> query = Promise.promise();
    Future<Buffer> first = cache.page("k", () -> {
      loads.incrementAndGet();
      return query.future();
    });
    Future<Buffer> second = cache.page("k", load("other"));
    query.complete(Buffer.buffer("page"));
    assertThat(first.result().toString()).isEqualTo("page");
    assertThat(second.result().toString()).isEqualTo("page");
    assertThat(loads).hasValue(1);
  }

  @Test
  void anExpiredPageIsQueriedAgain() throws InterruptedException {
    ListingCache cache = new ListingCache(20, 16);
    cache.page("k", load("old"));
    Thread.sleep(40);
    assertThat(cache.page("k", load("new")).result().toString()).isEqualTo("new");
    assertThat(loads).hasValue(2);
  }

  @Test
  void aFailedLoadIsNotKept() {
    ListingCache cache = new ListingCache(60_000, 16);
    assertThat(cache.page("k", () -> Future.failedFuture("database down")).failed()).isTrue();
    assertThat(cache.page("k", load("back")).result().toString()).isEqualTo("back");
  }

  @Test
  void aTtlOfZeroQueriesEveryTime() {
    ListingCache cache = new ListingCache(0, 16);
    cache.page("k", load("a"));
    assertThat(cache.page("k", load("b")).result().toString()).isEqualTo("b");
    assertThat(loads).hasValue(2);
  }

  @Test
  void pastItsPageLimitTheCacheStartsAfresh() {
    ListingCache cache = new ListingCache(60_000, 2);
    cache.page("1", load("one"));
    cache.page("2", load("two"));
    cache.page("3", load("three"));
    assertThat(cache.page("3", load("x")).result().toString()).isEqualTo("three");
    assertThat(cache.page("1", load("one again")).result().toString()).isEqualTo("one again");
  }
}
