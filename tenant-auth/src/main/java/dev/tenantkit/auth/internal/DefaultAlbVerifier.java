package dev.tenantkit.auth.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.tenantkit.auth.AlbPrincipal;
import dev.tenantkit.auth.AlbTokenVerifier;
import dev.tenantkit.auth.TokenRejectedException;
import dev.tenantkit.auth.TokenRejectedException.Reason;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyFactory;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The ALB header verifier; see {@link AlbTokenVerifier}. Outbound key fetches are bounded twice:
 * a kid found missing is not looked up again for {@code unknownKeyRefreshInterval}, and all
 * fetches together (any kid, known or forged) stay within {@code keyFetchLimit} per window, a
 * Bucket4j token bucket refilled whole at each window, so a flood of distinct forged kids costs
 * the key endpoint at most that many requests per window.
 */
public final class DefaultAlbVerifier implements AlbTokenVerifier {
  private static final int MAX_CHARS = 16 * 1024;
  private static final int MAX_KEY_BYTES = 4096;
  private static final Pattern KID = Pattern.compile("[A-Za-z0-9-]{1,64}");

  private final String albArn;
  private final URI keyEndpoint;
  private final Duration clockSkew;
  private final Duration httpTimeout;
  private final Clock clock;
  private final HttpClient http;
  /** kid -> key; ALB keys never change under a kid, so they are kept until evicted by size. */
  private final Cache<String, ECPublicKey> keys = Caffeine.newBuilder().maximumSize(1_000).build();
  /** kids found missing; not fetched again within the interval. */
  private final Cache<String, Boolean> missing;
  /** Every outbound fetch takes a token: at most keyFetchLimit per window across all kids. */
  private final Bucket fetches;

  /** See the builder. */
  public DefaultAlbVerifier(String albArn, URI keyEndpoint, Duration clockSkew, Duration httpTimeout,
      Duration unknownKeyRefreshInterval, int keyFetchLimit, Duration keyFetchWindow, Clock clock) {
    this.albArn = albArn;
    String e = keyEndpoint.toString();
    this.keyEndpoint = URI.create(e.endsWith("/") ? e.substring(0, e.length() - 1) : e);
    this.clockSkew = clockSkew;
    this.httpTimeout = httpTimeout;
    this.clock = clock;
    Ticker ticker = () -> nanos(clock.instant());
    this.missing = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(unknownKeyRefreshInterval)
        .ticker(ticker).build();
    this.fetches = Bucket.builder()
        .addLimit(limit -> limit.capacity(keyFetchLimit).refillIntervally(keyFetchLimit, keyFetchWindow))
        .withCustomTimePrecision(new TimeMeter() {
          @Override
          public long currentTimeNanos() {
            return nanos(clock.instant());
          }

          @Override
          public boolean isWallClockBased() {
            return true;
          }
        })
        .build();
    this.http = HttpClient.newBuilder().connectTimeout(httpTimeout).followRedirects(HttpClient.Redirect.NEVER).build();
  }

  @Override
  public AlbPrincipal verify(String headerValue) {
    if (headerValue == null || headerValue.isEmpty()) {
      throw reject(Reason.MISSING_TOKEN, "no x-amzn-oidc-data header");
    }
    if (headerValue.length() > MAX_CHARS) {
      throw reject(Reason.MALFORMED, "header value is " + headerValue.length() + " characters; the limit is " + MAX_CHARS);
    }
    String[] parts = headerValue.split("\\.", -1);
    if (parts.length != 3) {
      throw reject(Reason.MALFORMED, "expected three parts, found " + parts.length);
    }
    // ALB pads its base64url segments with '='; JOSE parsers expect them unpadded.
    for (int i = 0; i < 3; i++) {
      parts[i] = stripPadding(parts[i]);
    }
    Map<String, Object> header;
    try {
      header = JSONObjectUtils.parse(new Base64URL(parts[0]).decodeToString());
    } catch (ParseException | RuntimeException e) {
      throw reject(Reason.MALFORMED, "header is not a JSON object");
    }
    if (!"ES256".equals(header.get("alg"))) {
      throw reject(Reason.UNSUPPORTED_ALGORITHM, "ALB headers are signed with ES256");
    }
    if (!albArn.equals(header.get("signer"))) {
      throw reject(Reason.UNKNOWN_ISSUER, "signer is not the configured load balancer");
    }
    Object kidValue = header.get("kid");
    if (!(kidValue instanceof String) || !KID.matcher((String) kidValue).matches()) {
      throw reject(Reason.MALFORMED, "kid must be 1 to 64 letters, digits or '-'");
    }
    byte[] signature = new Base64URL(parts[2]).decode();
    if (signature.length != 64) {
      throw reject(Reason.BAD_SIGNATURE, "an ES256 signature is 64 bytes");
    }
    if (allZero(signature)) {
      throw reject(Reason.BAD_SIGNATURE, "all-zero signature");
    }
    ECPublicKey key = key((String) kidValue);
    SignedJWT jwt;
    try {
      jwt = new SignedJWT(new Base64URL(parts[0]), new Base64URL(parts[1]), new Base64URL(parts[2]));
    } catch (ParseException e) {
      throw reject(Reason.MALFORMED, "not a parseable signed JWT");
    }
    if (!JWSAlgorithm.ES256.equals(jwt.getHeader().getAlgorithm())) {
      throw reject(Reason.UNSUPPORTED_ALGORITHM, "ALB headers are signed with ES256");
    }
    try {
      if (!jwt.verify(new ECDSAVerifier(key))) {
        throw reject(Reason.BAD_SIGNATURE, "signature does not verify");
      }
    } catch (JOSEException e) {
      throw reject(Reason.BAD_SIGNATURE, "signature does not verify");
    }
    JWTClaimsSet claims;
    try {
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      throw reject(Reason.MALFORMED, "claims are not a JSON object");
    }
    Date exp = claims.getExpirationTime();
    if (exp == null) {
      throw reject(Reason.MALFORMED, "exp is required");
    }
    Instant now = clock.instant();
    if (now.minus(clockSkew).isAfter(exp.toInstant())) {
      throw reject(Reason.EXPIRED, "expired at " + exp.toInstant());
    }
    Object headerExp = header.get("exp");
    if (headerExp instanceof Number && now.minus(clockSkew).getEpochSecond() > ((Number) headerExp).longValue()) {
      throw reject(Reason.EXPIRED, "header exp has passed");
    }
    String subject = claims.getSubject() == null ? "" : claims.getSubject();
    String iss = claims.getIssuer() == null ? String.valueOf(header.get("iss")) : claims.getIssuer();
    return new AlbPrincipal(subject, iss, exp.toInstant(), claims.getClaims());
  }

  private static long nanos(Instant i) {
    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
  }

  private ECPublicKey key(String kid) {
    ECPublicKey cached = keys.getIfPresent(kid);
    if (cached != null) {
      return cached;
    }
    if (missing.getIfPresent(kid) != null) {
      throw reject(Reason.KEY_NOT_FOUND, "no ALB key with this kid (recently looked up)");
    }
    if (!fetches.tryConsume(1)) {
      // Not remembered as missing: once the window passes, a real new kid is fetched.
      throw reject(Reason.KEY_NOT_FOUND, "no cached ALB key with this kid; key lookups are rate limited");
    }
    HttpResponse<byte[]> response;
    try {
      response = http.send(HttpRequest.newBuilder(URI.create(keyEndpoint + "/" + kid)).timeout(httpTimeout).GET().build(),
          HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw reject(Reason.KEYS_UNAVAILABLE, "ALB key endpoint unreachable (" + e.getClass().getSimpleName() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw reject(Reason.KEYS_UNAVAILABLE, "interrupted while fetching the ALB key");
    }
    if (response.statusCode() == 404 || response.statusCode() == 403) {
      missing.put(kid, Boolean.TRUE);
      throw reject(Reason.KEY_NOT_FOUND, "no ALB key with this kid");
    }
    if (response.statusCode() != 200 || response.body().length > MAX_KEY_BYTES) {
      throw reject(Reason.KEYS_UNAVAILABLE, "ALB key endpoint answered " + response.statusCode());
    }
    ECPublicKey key = parsePem(new String(response.body(), java.nio.charset.StandardCharsets.US_ASCII));
    keys.put(kid, key);
    return key;
  }

  private static ECPublicKey parsePem(String pem) {
    String base64 = pem.replace("-----BEGIN PUBLIC KEY-----", "").replace("-----END PUBLIC KEY-----", "")
        .replaceAll("\\s", "");
    try {
      byte[] der = Base64.getDecoder().decode(base64);
      return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der));
    } catch (Exception e) {
      throw reject(Reason.KEYS_UNAVAILABLE, "ALB key is not a PEM EC public key");
    }
  }

  private static String stripPadding(String s) {
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == '=') {
      end--;
    }
    return s.substring(0, end);
  }

  private static boolean allZero(byte[] b) {
    int acc = 0;
    for (byte x : b) {
      acc |= x;
    }
    return acc == 0;
  }

  private static TokenRejectedException reject(Reason reason, String detail) {
    return new TokenRejectedException(reason, detail);
  }
}
