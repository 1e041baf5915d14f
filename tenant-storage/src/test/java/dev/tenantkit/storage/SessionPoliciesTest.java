package dev.tenantkit.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tenantkit.core.StorageConfig;
import dev.tenantkit.core.StorageConfig.StorageLayout;
import org.junit.jupiter.api.Test;

class SessionPoliciesTest {
  static final String ROLE = "arn:aws:iam::111122223333:role/tenantkit-storage";
  static final ObjectMapper JSON = new ObjectMapper();

  static JsonNode statement(JsonNode policy, String sid) {
    for (JsonNode s : policy.get("Statement")) {
      if (s.get("Sid").asText().equals(sid)) {
        return s;
      }
    }
    throw new AssertionError("no statement " + sid);
  }

  @Test
  void prefixLayout_listsOnlyItsPrefix_objectsOnlyUnderIt() throws Exception {
    StorageConfig c = StorageConfig.builder().layout(StorageLayout.PREFIX).bucket("tenantkit-shared")
        .prefix("tenants/acme/").build();
    JsonNode p = JSON.readTree(SessionPolicies.forStorage(c, ROLE));
    assertThat(p.get("Version").asText()).isEqualTo("2012-10-17");
    JsonNode list = statement(p, "TenantList");
    assertThat(list.get("Action").asText()).isEqualTo("s3:ListBucket");
    assertThat(list.get("Resource").asText()).isEqualTo("arn:aws:s3:::tenantkit-shared");
    assertThat(list.at("/Condition/StringLike/s3:prefix").toString())
        .isEqualTo("[\"tenants/acme/\",\"tenants/acme/*\"]");
    JsonNode objects = statement(p, "TenantObjects");
    assertThat(objects.get("Resource").asText()).isEqualTo("arn:aws:s3:::tenantkit-shared/tenants/acme/*");
    assertThat(objects.get("Action").toString()).contains("s3:GetObject", "s3:PutObject", "s3:DeleteObject")
        .doesNotContain("s3:*", "PutBucketPolicy", "PutObjectAcl");
    assertThat(p.get("Statement")).hasSize(2);
  }

  @Test
  void bucketLayoutWithKmsKey_inGovCloudPartition() throws Exception {
    StorageConfig c = StorageConfig.builder().layout(StorageLayout.BUCKET).bucket("tenantkit-acme")
        .kmsKeyArn("arn:aws-us-gov:kms:us-gov-west-1:111122223333:key/1234").build();
    JsonNode p = JSON.readTree(SessionPolicies.forStorage(c, "arn:aws-us-gov:iam::111122223333:role/r"));
    assertThat(statement(p, "TenantList").get("Resource").asText()).isEqualTo("arn:aws-us-gov:s3:::tenantkit-acme");
    assertThat(statement(p, "TenantList").has("Condition")).isFalse();
    assertThat(statement(p, "TenantObjects").get("Resource").asText()).isEqualTo("arn:aws-us-gov:s3:::tenantkit-acme/*");
    assertThat(statement(p, "TenantKey").get("Resource").asText()).endsWith("key/1234");
  }

  @Test
  void accessPointLayout() throws Exception {
    String ap = "arn:aws:s3:eu-west-1:111122223333:accesspoint/acme";
    StorageConfig c = StorageConfig.builder().layout(StorageLayout.ACCESS_POINT).accessPointArn(ap).build();
    JsonNode p = JSON.readTree(SessionPolicies.forStorage(c, ROLE));
    assertThat(statement(p, "TenantObjects").get("Resource").asText()).isEqualTo(ap + "/object/*");
  }

  @Test
  void longestRealisticPolicy_fitsTheLimit_andOverLongIsRefused() {
    StorageConfig longest = StorageConfig.builder().layout(StorageLayout.PREFIX).bucket("b".repeat(63))
        .prefix("tenants/" + "t".repeat(36) + "/").kmsKeyArn("arn:aws:kms:eu-west-1:111122223333:key/" + "k".repeat(36))
        .build();
    assertThat(SessionPolicies.forStorage(longest, ROLE).length()).isLessThan(SessionPolicies.MAX_CHARS);
    StorageConfig absurd = StorageConfig.builder().layout(StorageLayout.PREFIX).bucket("tenantkit-shared")
        .prefix(("p".repeat(100) + "/").repeat(9)).build();
    assertThatThrownBy(() -> SessionPolicies.forStorage(absurd, ROLE))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2048");
  }

  @Test
  void policyOfExactlyTheLimit_isAccepted_oneCharacterMoreIsRefused() {
    // The prefix appears three times in a PREFIX policy and the bucket twice: between them every
    // length near the limit can be reached, so look for the configuration that hits it exactly.
    String atLimit = null;
    String overLimit = null;
    for (int bucketLength = 3; bucketLength <= 63 && (atLimit == null || overLimit == null); bucketLength++) {
      String bucket = "b".repeat(bucketLength);
      for (int segment = 1; segment < 700; segment++) {
        StorageConfig c = StorageConfig.builder().layout(StorageLayout.PREFIX).bucket(bucket)
            .prefix("tenants/acme/" + "x".repeat(segment) + "/").build();
        try {
          int length = SessionPolicies.forStorage(c, ROLE).length();
          if (length == SessionPolicies.MAX_CHARS) {
            atLimit = bucket + " " + segment;
          }
        } catch (IllegalArgumentException e) {
          if (e.getMessage().startsWith("session policy is " + (SessionPolicies.MAX_CHARS + 1) + " characters")) {
            overLimit = bucket + " " + segment;
          }
          break;
        }
      }
    }
    assertThat(atLimit).as("a configuration whose policy is exactly the limit").isNotNull();
    assertThat(overLimit).as("one whose policy is one character over, refused").isNotNull();
  }
}
