package com.foobar.platform.app.posts;

/** No such post (or one hidden by moderation, which the public API does not know). */
public final class PostNotFound extends RuntimeException {

  PostNotFound(long id) {
    super("no post with id " + id, null, false, false);
  }
}
