package dev.tenantkit.auth.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyConverter;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import dev.tenantkit.auth.TokenRejectedException;
import dev.tenantkit.auth.TokenRejectedException.Reason;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.PublicKey;
import java.security.Signature;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Step 4, second half: the signature, tried with each of the issuer's keys that match the
 * header. Converting a JWK to a Java key (BigIntegers through a KeyFactory) costs more than a
 * tenth of an RS256 verification, so each key's verifier is kept per key and algorithm in a
 * bounded Caffeine cache: keys change only when an issuer rotates, and a rotated-out key ages out.
 *
 * <p>RS256/384/512 (what Cognito and Okta sign with) are verified with
 * {@code java.security.Signature} directly over the token's own bytes and the signature decoded
 * once: the same JCA calls nimbus's {@code RSASSAVerifier} makes, without re-encoding the signing
 * input or decoding the signature again. PS and ES algorithms go through nimbus's verifiers.
 */
final class SignatureCheck {
  private static final DefaultJWSVerifierFactory FACTORY = new DefaultJWSVerifierFactory();
  private static final int MAX_VERIFIERS = 1_000;
  private static final Map<JWSAlgorithm, String> JCA_RSA = Map.of(
      JWSAlgorithm.RS256, "SHA256withRSA", JWSAlgorithm.RS384, "SHA384withRSA", JWSAlgorithm.RS512, "SHA512withRSA");

  /** Equality written out, not the record's: see VerifiedTokenCache.TokenHash (cold-start cost). */
  private record VerifierKey(JWK jwk, JWSAlgorithm algorithm) {
    @Override
    public boolean equals(@Nullable Object o) {
      return o instanceof VerifierKey k && jwk.equals(k.jwk) && algorithm.equals(k.algorithm);
    }

    @Override
    public int hashCode() {
      return jwk.hashCode() * 31 + algorithm.hashCode();
    }
  }

  /** One key's verifier for one algorithm. */
  private interface KeyVerifier {
    boolean verify(JWSHeader header, TokenShape.Parsed token) throws JOSEException, GeneralSecurityException;
  }

  private record Rsa(String jcaName, PublicKey key) implements KeyVerifier {
    @Override
    public boolean verify(JWSHeader header, TokenShape.Parsed token) throws GeneralSecurityException {
      // A Signature is not thread-safe: one per call, as nimbus does.
      Signature signature = Signature.getInstance(jcaName);
      signature.initVerify(key);
      signature.update(token.tokenBytes(), 0, token.signingInputLength());
      return signature.verify(token.signature());
    }
  }

  private record Nimbus(JWSVerifier verifier) implements KeyVerifier {
    @Override
    public boolean verify(JWSHeader header, TokenShape.Parsed token) throws JOSEException {
      byte[] input = java.util.Arrays.copyOf(token.tokenBytes(), token.signingInputLength());
      return verifier.verify(header, input, new Base64URL(token.signaturePart()));
    }
  }

  private final Cache<VerifierKey, KeyVerifier> verifiers = Caffeine.newBuilder().maximumSize(MAX_VERIFIERS).build();

  /** The key of {@code keys} that verifies the token's signature. */
  JWK verify(TokenShape.Parsed token, List<JWK> keys) {
    JWSHeader header = token.header();
    for (int i = 0; i < keys.size(); i++) {
      try {
        if (verifierFor(keys.get(i), header).verify(header, token)) {
          return keys.get(i);
        }
      } catch (JOSEException | GeneralSecurityException | RuntimeException e) {
        // try the next key; a key of the wrong type for the algorithm lands here
      }
    }
    throw new TokenRejectedException(Reason.BAD_SIGNATURE, "signature does not verify");
  }

  private KeyVerifier verifierFor(JWK jwk, JWSHeader header) throws JOSEException {
    VerifierKey key = new VerifierKey(jwk, header.getAlgorithm());
    KeyVerifier cached = verifiers.getIfPresent(key);
    if (cached != null) {
      return cached;
    }
    KeyVerifier verifier;
    String jca = JCA_RSA.get(header.getAlgorithm());
    if (jca != null) {
      if (!(jwk instanceof RSAKey)) {
        throw new JOSEException("not an RSA key");
      }
      verifier = new Rsa(jca, ((RSAKey) jwk).toRSAPublicKey());
    } else {
      List<Key> javaKeys = KeyConverter.toJavaKeys(List.of(jwk));
      if (javaKeys.isEmpty()) {
        throw new JOSEException("not a public key");
      }
      verifier = new Nimbus(FACTORY.createJWSVerifier(header, javaKeys.get(0)));
    }
    verifiers.put(key, verifier);
    return verifier;
  }
}
