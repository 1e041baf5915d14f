package dev.tenantkit.storage.internal;

import dev.tenantkit.core.TenantId;
import dev.tenantkit.storage.ContinuationTokenKeys;
import dev.tenantkit.storage.StorageException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * {@link ContinuationTokenKeys}, and the tokens they bind: S3's opaque token wrapped as
 * {@code keyId.base64url(s3Token).base64url(mac)}, the MAC (HMAC-SHA256, 16 bytes kept) taken over
 * the listing (tenant, bucket, absolute prefix, delimiter) and the S3 token. A token from another
 * tenant's listing, another prefix, an unknown key or a forged one is an isolation violation.
 */
public final class ContinuationTokens implements ContinuationTokenKeys {
  private static final int MAX_TOKEN_CHARS = 4096;
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private final List<Key> keys; // the first one issues
  private final boolean generated;

  private ContinuationTokens(List<Key> keys, boolean generated) {
    this.keys = List.copyOf(keys);
    this.generated = generated;
  }

  /** See {@link ContinuationTokenKeys#of}. */
  public static ContinuationTokens of(byte[] current, byte[]... previous) {
    Objects.requireNonNull(current, "current");
    List<Key> all = new ArrayList<>();
    all.add(Key.of(current, "current"));
    for (int i = 0; i < previous.length; i++) {
      Key k = Key.of(Objects.requireNonNull(previous[i], "previous[" + i + "]"), "previous[" + i + "]");
      for (Key other : all) {
        if (MessageDigest.isEqual(other.secret, k.secret)) {
          throw new IllegalArgumentException("continuation token key previous[" + i + "] repeats another key");
        }
      }
      all.add(k);
    }
    return new ContinuationTokens(all, false);
  }

  /** See {@link ContinuationTokenKeys#fromBase64}. */
  public static ContinuationTokens fromBase64(String current, String... previous) {
    byte[][] prev = new byte[previous.length][];
    for (int i = 0; i < previous.length; i++) {
      prev[i] = decode(previous[i], "previous[" + i + "]");
    }
    return of(decode(current, "current"), prev);
  }

  /** See {@link ContinuationTokenKeys#generated}. */
  public static ContinuationTokens generated() {
    byte[] k = new byte[MIN_KEY_BYTES];
    new SecureRandom().nextBytes(k);
    return new ContinuationTokens(List.of(Key.of(k, "generated")), true);
  }

  /** The keys as given by a user, or generated ones when none were. */
  public static ContinuationTokens from(@Nullable ContinuationTokenKeys keys) {
    if (keys == null) {
      return generated();
    }
    if (!(keys instanceof ContinuationTokens)) {
      throw new IllegalArgumentException("continuationTokenKeys must come from ContinuationTokenKeys.of or fromBase64");
    }
    return (ContinuationTokens) keys;
  }

  @Override
  public boolean isGenerated() {
    return generated;
  }

  /** The token handed to the caller for S3's {@code s3Token} of {@code listing}. */
  String wrap(String s3Token, String listing) {
    Key k = keys.get(0);
    return k.id + "." + B64.encodeToString(s3Token.getBytes(StandardCharsets.UTF_8)) + "."
        + B64.encodeToString(k.mac(s3Token, listing));
  }

  /** S3's token inside {@code token}, when it was issued for {@code listing} by one of the keys. */
  String unwrap(String token, String listing, TenantId tenant) {
    if (token.length() <= MAX_TOKEN_CHARS) {
      int first = token.indexOf('.');
      int second = first < 0 ? -1 : token.indexOf('.', first + 1);
      if (first > 0 && second > first && token.indexOf('.', second + 1) < 0) {
        Key k = byId(token.substring(0, first));
        if (k != null) {
          try {
            String s3Token = new String(Base64.getUrlDecoder().decode(token.substring(first + 1, second)),
                StandardCharsets.UTF_8);
            byte[] given = Base64.getUrlDecoder().decode(token.substring(second + 1));
            if (MessageDigest.isEqual(given, k.mac(s3Token, listing))) {
              return s3Token;
            }
          } catch (IllegalArgumentException e) {
            // not base64: not one of ours
          }
        }
      }
    }
    throw new StorageException.IsolationViolation("continuation token was not issued for tenant " + tenant
        + "'s listing with this prefix and delimiter" + (generated
            ? " by this instance (no shared continuationTokenKeys are configured, so tokens do not cross instances)"
            : ""));
  }

  private @Nullable Key byId(String id) {
    for (Key k : keys) {
      if (k.id.equals(id)) {
        return k;
      }
    }
    return null;
  }

  /** Never shows a key; only their ids. */
  @Override
  public String toString() {
    List<String> ids = new ArrayList<>();
    for (Key k : keys) {
      ids.add(k.id);
    }
    return "ContinuationTokenKeys" + ids + (generated ? " (generated, this process only)" : "");
  }

  private static byte[] decode(String base64, String which) {
    Objects.requireNonNull(base64, which);
    String b = base64.strip();
    try {
      return b.indexOf('-') >= 0 || b.indexOf('_') >= 0 ? Base64.getUrlDecoder().decode(b) : Base64.getDecoder().decode(b);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("continuation token key " + which + " is not valid base64");
    }
  }

  /** One key and its public id. */
  private static final class Key {
    final byte[] secret;
    final String id;
    private final SecretKeySpec spec;

    private Key(byte[] secret, String id) {
      this.secret = secret;
      this.id = id;
      this.spec = new SecretKeySpec(secret, "HmacSHA256");
    }

    static Key of(byte[] secret, String which) {
      if (secret.length < MIN_KEY_BYTES) {
        throw new IllegalArgumentException("continuation token key " + which + " must be at least "
            + MIN_KEY_BYTES + " bytes, was " + secret.length);
      }
      byte[] copy = secret.clone();
      try {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(copy);
        return new Key(copy, HexFormat.of().formatHex(digest, 0, 4));
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }

    byte[] mac(String s3Token, String listing) {
      try {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(spec);
        mac.update(listing.getBytes(StandardCharsets.UTF_8));
        mac.update((byte) 0);
        return Arrays.copyOf(mac.doFinal(s3Token.getBytes(StandardCharsets.UTF_8)), 16);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
