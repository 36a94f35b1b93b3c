package com.foobar.platform.lb.edge;

/**
 * Why the edge turns a request away before any backend sees it. A decision, not a response: the request path maps
 * each to its status and JSON body in one place ({@code ProxyErrors}).
 */
public sealed interface Refusal {

  /** The client's address is denied, or not on the allow list. */
  record Denied() implements Refusal {
  }

  /** The client's bucket for {@code limit} (a rule, described for people) is empty. */
  record RateLimited(String limit, int retryAfterSeconds) implements Refusal {
  }

  /** Plain HTTP while the site redirects to HTTPS: {@code location} is the same URL over HTTPS. */
  record HttpsRequired(String location) implements Refusal {
  }

  /** A redirect to HTTPS needs the host the client asked for: its {@code Host} header is missing or malformed. */
  record BadHost(String host) implements Refusal {
  }
}
