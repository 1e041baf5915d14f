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
import com.nimbusds.jwt.SignedJWT;
import dev.tenantkit.auth.TokenRejectedException;
import dev.tenantkit.auth.TokenRejectedException.Reason;
import java.security.Key;
import java.util.List;

/**
 * Step 4, second half: the signature, tried with each of the issuer's keys that match the
 * header. Converting a JWK to a Java key (BigIntegers through a KeyFactory) costs more than a
 * tenth of an RS256 verification, so verifiers are kept per key and algorithm in a bounded
 * Caffeine cache: keys change only when an issuer rotates, and a rotated-out key simply ages out.
 */
final class SignatureCheck {
  private static final DefaultJWSVerifierFactory FACTORY = new DefaultJWSVerifierFactory();
  private static final int MAX_VERIFIERS = 1_000;

  private record VerifierKey(JWK jwk, JWSAlgorithm algorithm) {}

  private final Cache<VerifierKey, JWSVerifier> verifiers = Caffeine.newBuilder().maximumSize(MAX_VERIFIERS).build();

  void verify(SignedJWT jwt, JWSHeader header, List<JWK> keys) {
    for (int i = 0; i < keys.size(); i++) {
      try {
        if (jwt.verify(verifierFor(keys.get(i), header))) {
          return;
        }
      } catch (JOSEException | RuntimeException e) {
        // try the next key; a key of the wrong type for the algorithm lands here
      }
    }
    throw new TokenRejectedException(Reason.BAD_SIGNATURE, "signature does not verify");
  }

  private JWSVerifier verifierFor(JWK jwk, JWSHeader header) throws JOSEException {
    VerifierKey key = new VerifierKey(jwk, header.getAlgorithm());
    JWSVerifier cached = verifiers.getIfPresent(key);
    if (cached != null) {
      return cached;
    }
    List<Key> javaKeys = KeyConverter.toJavaKeys(List.of(jwk));
    if (javaKeys.isEmpty()) {
      throw new JOSEException("not a public key");
    }
    JWSVerifier verifier = FACTORY.createJWSVerifier(header, javaKeys.get(0));
    verifiers.put(key, verifier);
    return verifier;
  }
}
