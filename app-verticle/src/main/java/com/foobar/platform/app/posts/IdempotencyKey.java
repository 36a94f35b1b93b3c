package com.foobar.platform.app.posts;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The {@code Idempotency-Key} a client sent with a write: 1 to {@value #MAX_LENGTH} visible ASCII characters
 * (a UUID is the usual choice). The key itself is never stored: the row is found by a SHA-256 of it, and the
 * stored answer is sealed (AES-GCM) with a second key derived from it. A stored POST answer carries the post's
 * edit token, and this way neither a copy of the database nor a reader of the table learns a token: only the
 * client holding the key can open its answer.
 */
record IdempotencyKey(String value) {

  static final String HEADER = "Idempotency-Key";
  static final int MAX_LENGTH = 255;
  private static final int IV_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  /** The request's key, null when it sends none; {@link InvalidInput} when the header is not a valid key. */
  static IdempotencyKey from(RoutingContext ctx) {
    String value = ctx.request().getHeader(HEADER);
    if (value == null) {
      return null;
    }
    if (value.isEmpty() || value.length() > MAX_LENGTH || !visibleAscii(value)) {
      throw new InvalidInput(InvalidInput.Kind.IDEMPOTENCY_KEY, HEADER, HEADER + " must be 1 to " + MAX_LENGTH
        + " visible ASCII characters (a random UUID, say)");
    }
    return new IdempotencyKey(value);
  }

  private static boolean visibleAscii(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        return false;
      }
    }
    return true;
  }

  /** The row's primary key. */
  Buffer id() {
    return Buffer.buffer(derived("foobar idempotency key id"));
  }

  /** Encrypts an answer's body for storage: a fresh IV, then ciphertext and tag. */
  byte[] seal(byte[] plain) {
    byte[] iv = new byte[IV_BYTES];
    RANDOM.nextBytes(iv);
    byte[] sealed = cipher(Cipher.ENCRYPT_MODE, iv, plain);
    byte[] out = Arrays.copyOf(iv, IV_BYTES + sealed.length);
    System.arraycopy(sealed, 0, out, IV_BYTES, sealed.length);
    return out;
  }

  byte[] open(byte[] stored) {
    return cipher(Cipher.DECRYPT_MODE, Arrays.copyOf(stored, IV_BYTES),
      Arrays.copyOfRange(stored, IV_BYTES, stored.length));
  }

  private byte[] cipher(int mode, byte[] iv, byte[] input) {
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(mode, new SecretKeySpec(derived("foobar idempotency answer seal"), "AES"),
        new GCMParameterSpec(TAG_BITS, iv));
      return cipher.doFinal(input);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot " + (mode == Cipher.ENCRYPT_MODE ? "seal" : "open")
        + " a stored answer", e);
    }
  }

  /** SHA-256 of a purpose label and the key: two purposes, two unrelated values. */
  private byte[] derived(String purpose) {
    return EditTokens.sha256((purpose + '\0' + value).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "IdempotencyKey[redacted]";
  }
}
