package dev.tenantkit.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.TenantConfigurationException;
import dev.tenantkit.testkit.TestTenants;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * No STS server runs here: the real SDK STS client talks to a loopback endpoint that answers
 * AssumeRole in the STS query protocol (form-encoded POST in, XML out), so the SDK's own
 * marshalling runs and the test sees exactly what would be sent to AWS.
 */
class TenantCredentialsIntegrationTest {
  static final String ROLE = "arn:aws:iam::111122223333:role/tenantkit-storage";
  HttpServer server;
  StsClient sts;
  final List<Map<String, String>> calls = new CopyOnWriteArrayList<>();
  volatile Duration expiresIn = Duration.ofHours(1);

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    AtomicInteger n = new AtomicInteger();
    server.createContext("/", ex -> {
      Map<String, String> form = new LinkedHashMap<>();
      for (String pair : new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).split("&")) {
        int eq = pair.indexOf('=');
        form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
      calls.add(form);
      int i = n.incrementAndGet();
      String xml = "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><AssumeRoleResult>"
          + "<Credentials><AccessKeyId>ASIAEXAMPLE" + i + "</AccessKeyId><SecretAccessKey>secret" + i
          + "</SecretAccessKey><SessionToken>token" + i + "</SessionToken><Expiration>"
          + Instant.now().plus(expiresIn) + "</Expiration></Credentials>"
          + "<AssumedRoleUser><Arn>arn:aws:sts::111122223333:assumed-role/tenantkit-storage/"
          + form.get("RoleSessionName") + "</Arn><AssumedRoleId>AROAEXAMPLE:" + form.get("RoleSessionName")
          + "</AssumedRoleId></AssumedRoleUser><PackedPolicySize>12</PackedPolicySize></AssumeRoleResult>"
          + "<ResponseMetadata><RequestId>req-" + i + "</RequestId></ResponseMetadata></AssumeRoleResponse>";
      byte[] body = xml.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "text/xml");
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    server.start();
    sts = StsClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
        .region(Region.EU_WEST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "base-secret")))
        .build();
  }

  @AfterEach
  void stop() {
    sts.close();
    server.stop(0);
  }

  static Tenant pooled(String id) {
    Tenant t = TestTenants.pooled(id).build();
    return t.toBuilder().storage(t.storage().orElseThrow().toBuilder().roleArn(ROLE).build()).build();
  }

  @Test
  void assumeRole_carriesTenantTagAndSessionPolicy_cachedPerTenant() throws Exception {
    try (TenantCredentials creds = TenantCredentials.builder().sts(sts).build()) {
      AwsSessionCredentials a = (AwsSessionCredentials) creds.forTenant(pooled("acme")).resolveCredentials();
      AwsSessionCredentials again = (AwsSessionCredentials) creds.forTenant(pooled("acme")).resolveCredentials();
      AwsSessionCredentials g = (AwsSessionCredentials) creds.forTenant(pooled("globex")).resolveCredentials();
      assertThat(calls).as("one STS call per tenant, not per request").hasSize(2);
      assertThat(again.sessionToken()).isEqualTo(a.sessionToken());
      assertThat(g.sessionToken()).isNotEqualTo(a.sessionToken());

      Map<String, String> acme = calls.get(0);
      assertThat(acme).containsEntry("Action", "AssumeRole").containsEntry("RoleArn", ROLE)
          .containsEntry("RoleSessionName", "tenantkit-acme").containsEntry("DurationSeconds", "3600")
          .containsEntry("Tags.member.1.Key", "TenantId").containsEntry("Tags.member.1.Value", "acme")
          .containsEntry("TransitiveTagKeys.member.1", "TenantId");
      String policy = acme.get("Policy");
      assertThat(policy).isEqualTo(SessionPolicies.forStorage(pooled("acme").storage().orElseThrow(), ROLE));
      assertThat(new ObjectMapper().readTree(policy).toString()).contains("tenants/acme/").doesNotContain("globex");
      assertThat(calls.get(1)).containsEntry("Tags.member.1.Value", "globex");
      assertThat(calls.get(1).get("Policy")).contains("tenants/globex/").doesNotContain("tenants/acme/");
    }
  }

  @Test
  void credentialsNearExpiry_refreshedBeforeTheyLapse() {
    // 30 s before expiry is inside the SDK's stale window (1 minute), where a refresh is
    // mandatory; the 5-minute prefetch window is jittered by the SDK, so not asserted on.
    expiresIn = Duration.ofSeconds(30);
    try (TenantCredentials creds = TenantCredentials.builder().sts(sts).build()) {
      AwsCredentialsProvider p = creds.forTenant(pooled("acme"));
      p.resolveCredentials();
      expiresIn = Duration.ofHours(1);
      p.resolveCredentials();
      assertThat(calls).hasSize(2);
      p.resolveCredentials();
      assertThat(calls).as("fresh again: cached").hasSize(2);
    }
  }

  @Test
  void customTag_noPolicy_andMissingRoleRefused() {
    try (TenantCredentials creds = TenantCredentials.builder().sts(sts).tagKey("tenant").sessionPolicy(false).build()) {
      creds.forTenant(pooled("acme")).resolveCredentials();
      assertThat(calls.get(0)).containsEntry("Tags.member.1.Key", "tenant").doesNotContainKey("Policy");
      assertThatThrownBy(() -> creds.forTenant(TestTenants.pooled("norole").build()))
          .isInstanceOf(TenantConfigurationException.class).hasMessageContaining("roleArn");
    }
  }

  @Test
  void s3Clients_reusedPerTenant_boundedWithLeastRecentlyUsedClosed() {
    List<String> closed = new CopyOnWriteArrayList<>();
    AtomicInteger built = new AtomicInteger();
    Function<AwsCredentialsProvider, S3Client> factory = provider -> {
      int id = built.incrementAndGet();
      return (S3Client) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {S3Client.class},
          (proxy, method, args) -> {
            if (method.getName().equals("close")) {
              closed.add("client-" + id);
            }
            return method.getName().equals("toString") ? "client-" + id : null;
          });
    };
    try (TenantCredentials creds = TenantCredentials.builder().sts(sts).build()) {
      Function<Tenant, S3Client> clients = creds.s3Clients(factory, 2);
      S3Client acme = clients.apply(pooled("acme"));
      assertThat(clients.apply(pooled("acme"))).isSameAs(acme);
      clients.apply(pooled("globex"));
      clients.apply(pooled("acme"));     // acme is now the most recently used
      clients.apply(pooled("initech"));  // evicts globex
      assertThat(built.get()).isEqualTo(3);
      assertThat(closed).containsExactly("client-2");
    }
  }
}
