package com.foobar.platform.app.posts;

/** The post exists, and the request did not present its edit token ({@link EditTokens}). */
public final class EditTokenRefused extends RuntimeException {

  EditTokenRefused(long id, boolean presented) {
    super(presented ? "the edit token does not match post " + id
      : "changing post " + id + " needs its edit token (Authorization: Bearer <token> or " + EditTokens.HEADER
      + "), returned once when the post was created", null, false, false);
  }
}
