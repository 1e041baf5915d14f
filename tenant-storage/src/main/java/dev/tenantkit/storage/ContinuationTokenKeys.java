package dev.tenantkit.storage;

import dev.tenantkit.storage.internal.ContinuationTokens;

/**
 * The HMAC keys that bind a listing's continuation tokens to the tenant and the listing. Every
 * instance behind one load balancer must use the same keys, or a listing breaks when its next
 * page lands on another instance: load them from configuration every instance shares (a secret
 * in Secrets Manager, read at start).
 *
 * <p>Rotation: tokens are issued with the {@code current} key and accepted with it or any
 * {@code previous} key. Roll a new key out in three steps, each finished on every instance before
 * the next begins, so that a fleet half-way through a step still pages across both halves: add
 * the new key as a previous key ({@code of(old, new)}); make it current ({@code of(new, old)});
 * drop the old key ({@code of(new)}) once listings begun before are done. A token names its key by an id (the first four bytes of the
 * key's SHA-256, in hex), never by the key.
 *
 * <pre>{@code
 * ContinuationTokenKeys keys = ContinuationTokenKeys.fromBase64(currentFromSecret, previousFromSecret);
 * TenantStorageClient storage = TenantStorageClient.builder().s3Client(s3).continuationTokenKeys(keys).build();
 * }</pre>
 */
public interface ContinuationTokenKeys {
  /** The shortest key accepted, in bytes (HMAC-SHA256 gains nothing from more than 32). */
  int MIN_KEY_BYTES = 32;

  /**
   * Tokens are issued with {@code current} and accepted with it or any of {@code previous}.
   * The arrays are copied.
   *
   * @throws IllegalArgumentException when a key is shorter than {@value #MIN_KEY_BYTES} bytes or
   *     repeats another
   */
  static ContinuationTokenKeys of(byte[] current, byte[]... previous) {
    return ContinuationTokens.of(current, previous);
  }

  /** {@link #of} with each key in base64 (standard or URL-safe alphabet). */
  static ContinuationTokenKeys fromBase64(String current, String... previous) {
    return ContinuationTokens.fromBase64(current, previous);
  }

  /**
   * A random key for this process only: tokens then work only on the instance that issued them.
   * What {@link TenantStorageClient.Builder} uses when no keys are configured.
   */
  static ContinuationTokenKeys generated() {
    return ContinuationTokens.generated();
  }

  /** Whether the keys were generated in this process rather than configured. */
  boolean isGenerated();
}
