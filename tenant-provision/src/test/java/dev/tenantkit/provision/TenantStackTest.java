package dev.tenantkit.provision;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.s3.Bucket;

/**
 * The synthesised template of each tier, checked with CDK assertions property by property, with
 * cdk-nag's AwsSolutions pack, and (one tier) against a committed snapshot.
 */
class TenantStackTest {

  private static TierPreset tier(String name) {
    return TierPresets.find(name).orElseThrow();
  }

  @ParameterizedTest
  @ValueSource(strings = {"basic", "standard", "premium"})
  void cdkNag_awsSolutions_hasNoUnsuppressedFinding(String tier) {
    Synth.Result r = Synth.of(tier);
    assertThat(r.nagErrors()).as("unsuppressed cdk-nag errors").isEmpty();
    assertThat(r.nagWarnings()).as("unsuppressed cdk-nag warnings").isEmpty();
  }

  @Test
  void cdkNag_findsAViolation_soTheCheckAboveCanFail() {
    App app = App.Builder.create().build();
    Stack stack = Stack.Builder.create(app, "Violating").build();
    Bucket.Builder.create(stack, "Open").build(); // no TLS-only policy, no access logs
    Aspects.of(app).add(new AwsSolutionsChecks(NagPackProps.builder().build()));
    app.synth();
    assertThat(Annotations.fromStack(stack).findError("*", Match.stringLikeRegexp("AwsSolutions-S(1|10).*")))
        .isNotEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"basic", "standard", "premium"})
  void network_subnetsInEachAz_natPerTier_endpoints_flowLogs(String name) {
    Template t = Synth.of(name).template();
    TierPreset tier = tier(name);
    t.resourceCountIs("AWS::EC2::VPC", 1);
    t.resourceCountIs("AWS::EC2::Subnet", 3 * 2);
    t.resourceCountIs("AWS::EC2::NatGateway", tier.natGatewayPerAz() ? 2 : 1);
    t.hasResourceProperties("AWS::EC2::Subnet", Map.of("AvailabilityZone", "eu-west-1a"));
    t.hasResourceProperties("AWS::EC2::Subnet", Map.of("AvailabilityZone", "eu-west-1b"));
    t.hasResourceProperties("AWS::EC2::FlowLog", Map.of("TrafficType", "ALL", "LogDestinationType", "cloud-watch-logs"));
    t.hasResourceProperties("AWS::EC2::VPCEndpoint", Map.of("VpcEndpointType", "Gateway"));
    t.resourceCountIs("AWS::EC2::VPCEndpoint", tier.interfaceEndpoints() ? 6 : 1);
  }

  @Test
  void network_threeAzs_whenAsked() {
    Template t = Synth.synth(Synth.spec("premium").availabilityZones(3).tenant("initech").build()).template();
    t.resourceCountIs("AWS::EC2::Subnet", 9);
    t.resourceCountIs("AWS::EC2::NatGateway", 3);
    t.hasResourceProperties("AWS::EC2::Subnet", Map.of("AvailabilityZone", "eu-west-1c"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"basic", "standard", "premium"})
  void ingress_httpsWithTheCertificateAndCurrentTls_httpRedirects_accessLogs(String name) {
    Template t = Synth.of(name).template();
    t.hasResourceProperties("AWS::ElasticLoadBalancingV2::LoadBalancer", Map.of("Scheme", "internet-facing",
        "LoadBalancerAttributes", Match.arrayWith(List.of(
            Map.of("Key", "routing.http.drop_invalid_header_fields.enabled", "Value", "true"),
            Map.of("Key", "access_logs.s3.enabled", "Value", "true")))));
    t.hasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", Map.of("Port", 443, "Protocol", "HTTPS",
        "SslPolicy", "ELBSecurityPolicy-TLS13-1-2-2021-06",
        "Certificates", List.of(Map.of("CertificateArn", Synth.CERT))));
    t.hasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", Map.of("Port", 80, "DefaultActions",
        List.of(Map.of("Type", "redirect", "RedirectConfig", Map.of("Port", "443", "Protocol", "HTTPS",
            "StatusCode", "HTTP_301")))));
  }

  @ParameterizedTest
  @ValueSource(strings = {"basic", "standard", "premium"})
  void edge_wafRateBasedRulePerClientAddress_sizedFromTheTier_onTheAlb_blocksWith429(String name) {
    Template t = Synth.of(name).template();
    int limit = TierPresets.find(name).orElseThrow().edgeRequestsPer5MinPerIp();
    t.resourceCountIs("AWS::WAFv2::WebACL", 1);
    t.hasResourceProperties("AWS::WAFv2::WebACL", Map.of("Scope", "REGIONAL",
        "DefaultAction", Map.of("Allow", Map.of()),
        "Rules", List.of(Match.objectLike(Map.of("Name", "RateLimit",
            "Statement", Map.of("RateBasedStatement", Map.of("Limit", limit, "AggregateKeyType", "IP",
                "EvaluationWindowSec", 300)),
            "Action", Map.of("Block", Map.of("CustomResponse", Map.of("ResponseCode", 429,
                "ResponseHeaders", List.of(Map.of("Name", "Retry-After", "Value", "300")))))))),
        "VisibilityConfig", Match.objectLike(Map.of("CloudWatchMetricsEnabled", true,
            "SampledRequestsEnabled", true))));
    t.hasResourceProperties("AWS::WAFv2::WebACLAssociation", Map.of(
        "ResourceArn", Map.of("Ref", Match.stringLikeRegexp("IngressAlb.*")),
        "WebACLArn", Map.of("Fn::GetAtt", List.of(Match.stringLikeRegexp("EdgeAcl.*"), "Arn"))));
  }

  @Test
  void edge_forAPooledAlb_countsPerTenantHostAndClientAddress_andRefusesALimitWafWouldRefuse() {
    Stack stack = new Stack(App.Builder.create().build(), "Pooled");
    software.amazon.awscdk.services.elasticloadbalancingv2.IApplicationLoadBalancer alb =
        software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationLoadBalancer
            .fromApplicationLoadBalancerAttributes(stack, "Alb",
                software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationLoadBalancerAttributes.builder()
                    .loadBalancerArn("arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/pooled/1")
                    .securityGroupId("sg-0123456789abcdef0").build());
    TenantWebAcl.perTenantHost(stack, "Edge", "pooled", 2_000).protect(alb);
    Template t = Template.fromStack(stack);
    t.hasResourceProperties("AWS::WAFv2::WebACL", Map.of("Rules", List.of(
        Match.objectLike(Map.of("Name", "RateLimitPerTenantHost", "Priority", 0,
            "Statement", Map.of("RateBasedStatement", Map.of("Limit", 2_000, "AggregateKeyType", "CUSTOM_KEYS",
                "EvaluationWindowSec", 300, "CustomKeys", List.of(
                    Map.of("Header", Map.of("Name", "host", "TextTransformations",
                        List.of(Map.of("Priority", 0, "Type", "LOWERCASE")))),
                    Map.of("IP", Map.of())))))),
        // A client rotating Host names (or sending none) still meets a per-address limit.
        Match.objectLike(Map.of("Name", "RateLimitPerAddress", "Priority", 1,
            "Statement", Map.of("RateBasedStatement", Map.of("Limit", 10_000, "AggregateKeyType", "IP",
                "EvaluationWindowSec", 300)))))));
    t.hasResourceProperties("AWS::WAFv2::WebACLAssociation", Map.of("ResourceArn",
        "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/pooled/1"));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> TenantWebAcl.perClientIp(stack, "Low", "x", 9))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("10..2000000000");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new TierPreset("tiny", false, false, 30, "t3.small", 1,
        2, 70, "t4g.micro", false, 7, 20, false, false, 5)).hasMessageContaining("edgeRequestsPer5MinPerIp");
  }

  @ParameterizedTest
  @ValueSource(strings = {"basic", "standard", "premium"})
  void compute_imdsV2_encryptedEbs_amiFromSsm_elbHealthChecks_cpuTracking(String name) {
    Template t = Synth.of(name).template();
    TierPreset tier = tier(name);
    t.hasResourceProperties("AWS::EC2::LaunchTemplate", Map.of("LaunchTemplateData", Match.objectLike(Map.of(
        "MetadataOptions", Map.of("HttpTokens", "required"),
        "InstanceType", tier.instanceType(),
        "BlockDeviceMappings", List.of(Match.objectLike(Map.of("Ebs", Match.objectLike(Map.of("Encrypted", true,
            "VolumeType", "gp3")))))))));
    assertThat(t.toJSON().get("Parameters").toString())
        .contains("AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>").contains(
            "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64");
    t.hasResourceProperties("AWS::AutoScaling::AutoScalingGroup", Map.of("HealthCheckType", "ELB",
        "MinSize", Integer.toString(tier.minCapacity()), "MaxSize", Integer.toString(tier.maxCapacity())));
    t.hasResourceProperties("AWS::AutoScaling::ScalingPolicy", Map.of("TargetTrackingConfiguration", Match.objectLike(
        Map.of("PredefinedMetricSpecification", Map.of("PredefinedMetricType", "ASGAverageCPUUtilization"),
            "TargetValue", tier.cpuTargetPercent()))));
  }

  @Test
  void compute_instanceRole_mayDoExactlyItsJob() throws Exception {
    Template t = Synth.of("standard").template();
    String policies = new ObjectMapper().writeValueAsString(t.findResources("AWS::IAM::Policy"));
    assertThat(policies).contains("rds-db:connect").contains("dbuser:").contains("/app\"")
        .contains("s3:PutObject").contains("secretsmanager:GetSecretValue").contains("kms:Decrypt");
    // No statement grants anything on every resource.
    assertThat(policies).doesNotContain("\"Resource\":\"*\"");
    t.hasResourceProperties("AWS::IAM::Role", Map.of("ManagedPolicyArns", List.of(Map.of("Fn::Join", List.of("",
        List.of("arn:", Map.of("Ref", "AWS::Partition"), ":iam::aws:policy/AmazonSSMManagedInstanceCore"))))));
    // The instances take the app port from the ALB only; the database takes 5432 from the instances only.
    t.hasResourceProperties("AWS::EC2::SecurityGroupIngress", Map.of("FromPort", 5432, "ToPort", 5432,
        "SourceSecurityGroupId", Match.objectLike(Map.of("Fn::GetAtt", Match.arrayWith(List.of("ComputeAppSg8E7EFFD9"))))));
    t.hasResourceProperties("AWS::EC2::SecurityGroupIngress", Map.of("FromPort", 8080, "ToPort", 8080));
  }

  @ParameterizedTest
  @ValueSource(strings = {"basic", "standard", "premium"})
  void database_postgres17Minor_iam_encrypted_multiAzPerTier_backups_protected_private_rotated(String name) {
    Template t = Synth.of(name).template();
    TierPreset tier = tier(name);
    t.hasResourceProperties("AWS::RDS::DBInstance", Map.of("Engine", "postgres", "EngineVersion", "17.6",
        "EnableIAMDatabaseAuthentication", true, "StorageEncrypted", true, "MultiAZ", tier.multiAzDatabase(),
        "BackupRetentionPeriod", tier.backupRetentionDays(), "DeletionProtection", true,
        "PubliclyAccessible", false, "DBInstanceClass", "db." + tier.databaseInstanceClass()));
    t.resourceCountIs("AWS::SecretsManager::RotationSchedule", 1);
    t.hasResourceProperties("AWS::RDS::DBSubnetGroup", Match.anyValue());
  }

  @ParameterizedTest
  @ValueSource(strings = {"basic", "standard", "premium"})
  void storage_private_encrypted_versioned_tlsOnly_logged(String name) {
    Template t = Synth.of(name).template();
    TierPreset tier = tier(name);
    t.hasResourceProperties("AWS::S3::Bucket", Map.of(
        "PublicAccessBlockConfiguration", Map.of("BlockPublicAcls", true, "BlockPublicPolicy", true,
            "IgnorePublicAcls", true, "RestrictPublicBuckets", true),
        "VersioningConfiguration", Map.of("Status", "Enabled"),
        "LoggingConfiguration", Match.objectLike(Map.of("LogFilePrefix", "s3/data/")),
        "BucketEncryption", Map.of("ServerSideEncryptionConfiguration", List.of(Match.objectLike(Map.of(
            "BucketKeyEnabled", true,
            "ServerSideEncryptionByDefault", Match.objectLike(Map.of("SSEAlgorithm",
                tier.kmsBucketEncryption() ? "aws:kms" : "AES256"))))))));
    t.hasResourceProperties("AWS::S3::BucketPolicy", Map.of("PolicyDocument", Match.objectLike(Map.of("Statement",
        Match.arrayWith(List.of(Match.objectLike(Map.of("Effect", "Deny",
            "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false"))))))))));
    t.resourceCountIs("AWS::KMS::Key", tier.kmsBucketEncryption() ? 1 : 0);
  }

  @ParameterizedTest
  @ValueSource(strings = {"basic", "standard", "premium"})
  void identity_immutableTenantClaim_passwordPolicy_threatProtectionPerTier_groups_client_domain(String name) {
    Template t = Synth.of(name).template();
    TierPreset tier = tier(name);
    t.hasResourceProperties("AWS::Cognito::UserPool", Map.of(
        "Schema", List.of(Match.objectLike(Map.of("Name", "tenant_id", "Mutable", false))),
        "Policies", Map.of("PasswordPolicy", Match.objectLike(Map.of("MinimumLength", 12))),
        "AdminCreateUserConfig", Map.of("AllowAdminCreateUserOnly", true),
        "UserPoolTier", tier.enforcedThreatProtection() ? "PLUS" : "ESSENTIALS"));
    if (tier.enforcedThreatProtection()) {
      t.hasResourceProperties("AWS::Cognito::UserPool", Map.of("UserPoolAddOns",
          Map.of("AdvancedSecurityMode", "ENFORCED")));
    }
    t.resourceCountIs("AWS::Cognito::UserPoolGroup", 2);
    t.hasResourceProperties("AWS::Cognito::UserPoolGroup", Map.of("GroupName", "tenant-admin"));
    t.hasResourceProperties("AWS::Cognito::UserPoolDomain", Map.of("Domain", "tenantkit-acme"));
    t.hasResourceProperties("AWS::Cognito::UserPoolClient", Map.of("GenerateSecret", false,
        "PreventUserExistenceErrors", "ENABLED"));
    t.resourceCountIs("AWS::Cognito::UserPoolIdentityProvider", 0);
  }

  @Test
  void identity_appClient_noPlaceholderUrl_noImplicitGrant_neverWritesTheTenantClaim() throws Exception {
    Template t = Synth.of("standard").template();
    String json = new ObjectMapper().writeValueAsString(t.toJSON());
    // CDK's defaults would enable the implicit grant and a https://example.com callback.
    assertThat(json.contains("example.com")).as("template names a placeholder URL (example.com)").isFalse();
    assertThat(json.contains("implicit")).as("template enables the implicit grant").isFalse();
    assertThat(json.contains("aws.cognito.signin.user.admin")).as("template allows the admin scope").isFalse();
    Map<String, Map<String, Object>> clients = t.findResources("AWS::Cognito::UserPoolClient");
    assertThat(clients).hasSize(1);
    @SuppressWarnings("unchecked")
    Map<String, Object> props = (Map<String, Object>) clients.values().iterator().next().get("Properties");
    // No callback URL in the spec: OAuth is off for the client (SRP sign-in only), explicitly.
    assertThat(props.get("AllowedOAuthFlowsUserPoolClient")).isEqualTo(false);
    assertThat(props).doesNotContainKeys("AllowedOAuthFlows", "CallbackURLs");
    assertThat(props.get("ReadAttributes")).asList().contains("custom:tenant_id");
    assertThat(props.get("WriteAttributes")).asList().isNotEmpty().doesNotContain("custom:tenant_id");
  }

  @Test
  void names_whenTheTenantIdStartsWithADigitOrIsAUuid_areValidForRdsCognitoAndCloudFormation() {
    for (String id : List.of("7eleven", "3f2b8c1e-9d4a-4b6e-8f00-1a2b3c4d5e6f")) {
      Synth.Result r = Synth.synth(Synth.spec("basic").tenant(id).build());
      Map<String, Map<String, Object>> db = r.template().findResources("AWS::RDS::DBInstance");
      @SuppressWarnings("unchecked")
      String dbName = String.valueOf(((Map<String, Object>) db.values().iterator().next().get("Properties"))
          .get("DBName"));
      // RDS for PostgreSQL: begins with a letter; letters, digits, underscores; at most 63.
      assertThat(dbName).as(id).matches("[A-Za-z][A-Za-z0-9_]{0,62}");
      assertThat(r.template().toJSON().get("Outputs").toString()).contains(dbName);
      r.template().hasResourceProperties("AWS::Cognito::UserPoolDomain", Map.of("Domain",
          Match.stringLikeRegexp("^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")));
      r.template().hasResourceProperties("AWS::Cognito::UserPool", Map.of("UserPoolName", "tenantkit-" + id));
      assertThat(r.stack().getStackName()).matches("[A-Za-z][A-Za-z0-9-]{0,127}");
      assertThat(r.nagErrors()).isEmpty();
    }
  }

  @Test
  void identity_oktaSamlFederation_codeGrantOnly_urlsFromTheSpec_sameClientAsWithoutOkta() {
    Template t = Synth.synth(Synth.spec("standard").tenant("globex")
        .oktaMetadataUrl("https://globex.okta.com/app/exk1/sso/saml/metadata")
        .callbackUrls(List.of("https://globex.app.example.com/login/oauth2/code/cognito"))
        .logoutUrls(List.of("https://globex.app.example.com/signed-out")).build()).template();
    t.hasResourceProperties("AWS::Cognito::UserPoolIdentityProvider", Map.of("ProviderName", "Okta",
        "ProviderType", "SAML", "ProviderDetails", Map.of("MetadataURL",
            "https://globex.okta.com/app/exk1/sso/saml/metadata"),
        "AttributeMapping", Map.of("email", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
            "given_name", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname",
            "family_name", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname")));
    t.hasResourceProperties("AWS::Cognito::UserPoolClient", Map.of(
        "SupportedIdentityProviders", List.of("COGNITO", Map.of("Ref", Match.anyValue())),
        "AllowedOAuthFlows", List.of("code"),
        "AllowedOAuthFlowsUserPoolClient", true,
        "AllowedOAuthScopes", List.of("openid", "email", "profile"),
        "CallbackURLs", List.of("https://globex.app.example.com/login/oauth2/code/cognito"),
        "LogoutURLs", List.of("https://globex.app.example.com/signed-out"),
        "WriteAttributes", List.of("email", "name", "given_name", "family_name")));
    // The same logical ids as the stack without Okta: adding a provider or URLs on a re-run
    // updates the pool's client in place (CloudFormation), it does not replace it.
    assertThat(t.findResources("AWS::Cognito::UserPoolClient").keySet())
        .isEqualTo(Synth.of("standard").template().findResources("AWS::Cognito::UserPoolClient").keySet());
  }

  @ParameterizedTest
  @ValueSource(strings = {"basic", "standard", "premium"})
  void outputs_coverTheTenantRecord_andEveryResourceIsTagged(String name) {
    Template t = Synth.of(name).template();
    for (String output : StackOutputs.ALWAYS) {
      t.hasOutput(output, Match.anyValue());
    }
    List<Map<String, Object>> tags = List.of(Map.of("Key", "tenantkit:tenant", "Value", "acme"),
        Map.of("Key", "tenantkit:tier", "Value", name));
    t.hasResourceProperties("AWS::EC2::VPC", Map.of("Tags", Match.arrayWith(List.copyOf(tags))));
    t.hasResourceProperties("AWS::RDS::DBInstance", Map.of("Tags", Match.arrayWith(List.copyOf(tags))));
    t.hasResourceProperties("AWS::S3::Bucket", Map.of("Tags", Match.arrayWith(List.copyOf(tags))));
    t.hasResourceProperties("AWS::AutoScaling::AutoScalingGroup", Map.of("Tags", Match.arrayWith(List.of(
        Map.of("Key", "tenantkit:tenant", "Value", "acme", "PropagateAtLaunch", true)))));
  }

  @Test
  void dataIsRetainedAndProtected_exceptInTheDisposableVariant() {
    Template kept = Synth.of("standard").template();
    kept.hasResource("AWS::RDS::DBInstance", Map.of("DeletionPolicy", "Snapshot",
        "Properties", Match.objectLike(Map.of("DeletionProtection", true))));
    kept.hasResource("AWS::S3::Bucket", Map.of("DeletionPolicy", "Retain"));
    kept.hasResource("AWS::Cognito::UserPool", Map.of("DeletionPolicy", "Retain"));

    Synth.Result gone = Synth.synth(Synth.spec("standard").build().disposable());
    assertThat(gone.nagErrors()).isEmpty();
    assertThat(gone.nagWarnings()).isEmpty();
    gone.template().hasResource("AWS::RDS::DBInstance", Map.of("DeletionPolicy", "Delete",
        "Properties", Match.objectLike(Map.of("DeletionProtection", false))));
    gone.template().hasResource("AWS::S3::Bucket", Map.of("DeletionPolicy", "Delete"));
    gone.template().hasResource("AWS::Cognito::UserPool", Map.of("DeletionPolicy", "Delete"));
  }

  @Test
  void synthesis_needsNoLookupAndNoAccount() {
    Synth.Result r = Synth.of("basic");
    assertThat(r.assembly().getManifest().getMissing()).as("context lookups").isNullOrEmpty();
    assertThat(r.template().toJSON().toString()).doesNotContain("BootstrapVersion");
  }

  @Test
  void synthesis_boundToAnAccount_stillLooksNothingUp_azsComeFromTheSpec() {
    Synth.Result r = Synth.synth(Synth.spec("basic").tenant("bound").account("111122223333").build());
    assertThat(r.assembly().getManifest().getMissing()).as("context lookups %s",
        r.assembly().getManifest().getMissing() == null ? "" : r.assembly().getManifest().getMissing().stream()
            .map(m -> m.getKey() + " " + m.getProvider()).toList()).isNullOrEmpty();
    r.template().hasResourceProperties("AWS::EC2::Subnet", Map.of("AvailabilityZone", "eu-west-1b"));
    assertThat(r.nagErrors()).isEmpty();
  }

  @Test
  void standardTemplate_matchesTheCommittedSnapshot() throws Exception {
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
        .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    String actual = json.writeValueAsString(json.readTree(json.writeValueAsString(Synth.of("standard").template().toJSON())));
    Path snapshot = Path.of("src/test/resources/snapshots/standard.template.json");
    if (Boolean.getBoolean("tenantkit.updateSnapshots")) {
      Files.createDirectories(snapshot.getParent());
      Files.writeString(snapshot, actual + "\n");
    }
    assertThat(snapshot).as("run with -Dtenantkit.updateSnapshots=true after an intended change").exists();
    assertThat(actual + "\n").as("the standard tier's template changed; review the diff, then update the "
        + "snapshot with -Dtenantkit.updateSnapshots=true").isEqualTo(Files.readString(snapshot));
  }

  @Test
  void registry_theInstanceRole_readsItsOwnTenantsItemOnly_andTheInstancesBootKnowingTheTable() throws Exception {
    Synth.Result r = Synth.synth(Synth.spec("standard").registryTable("tenantkit-tenants").build());
    assertThat(r.nagErrors()).isEmpty();
    assertThat(r.nagWarnings()).isEmpty();
    Template t = r.template();
    Map<String, Map<String, Object>> statements = TenantRegistryTableTest.statements(t);
    Map<String, Object> own = statements.get("ReadOwnTenantRecord");
    assertThat(own).as(statements.keySet().toString()).isNotNull();
    assertThat(TenantRegistryTableTest.values(own.get("Action"))).containsExactly("dynamodb:GetItem");
    assertThat(new ObjectMapper().writeValueAsString(own.get("Resource")))
        .isEqualTo("{\"Fn::Join\":[\"\",[\"arn:\",{\"Ref\":\"AWS::Partition\"},\":dynamodb:eu-west-1:\","
            + "{\"Ref\":\"AWS::AccountId\"},\":table/tenantkit-tenants\"]]}");
    assertThat(new ObjectMapper().writeValueAsString(own.get("Condition")))
        .isIn("{\"ForAllValues:StringEquals\":{\"dynamodb:LeadingKeys\":\"acme\"}}",
            "{\"ForAllValues:StringEquals\":{\"dynamodb:LeadingKeys\":[\"acme\"]}}");
    String policies = new ObjectMapper().writeValueAsString(t.findResources("AWS::IAM::Policy"));
    assertThat(policies).doesNotContain("dynamodb:Scan").doesNotContain("dynamodb:Query")
        .doesNotContain("dynamodb:Put").doesNotContain("dynamodb:*");
    String userData = new ObjectMapper().writeValueAsString(t.findResources("AWS::EC2::LaunchTemplate"));
    assertThat(userData).contains("TENANTKIT_TENANT_ID=acme").contains("TENANTKIT_REGISTRY_TABLE=tenantkit-tenants")
        .contains("TENANTKIT_REGISTRY_REGION=eu-west-1").contains("TENANTKIT_RDS_CA_BUNDLE=/etc/tenantkit/rds-global-bundle.pem")
        .contains("https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem")
        .contains("TENANTKIT_DB_MASTER_SECRET_ARN=").contains("TENANTKIT_DB_HOST=").contains("TENANTKIT_DB_NAME=");
  }

  @Test
  void noRegistry_noDynamoDbGrant_butTheTenantIsStillPinnedAtBoot() throws Exception {
    Template t = Synth.of("standard").template();
    assertThat(new ObjectMapper().writeValueAsString(t.findResources("AWS::IAM::Policy"))).doesNotContain("dynamodb:");
    assertThat(new ObjectMapper().writeValueAsString(t.findResources("AWS::EC2::LaunchTemplate")))
        .contains("TENANTKIT_TENANT_ID=acme").doesNotContain("TENANTKIT_REGISTRY_TABLE");
  }

  @Test
  void service_fromAnS3Artifact_isFetchedAndRunAsASystemdService_withReadOfThatObjectOnly() throws Exception {
    Synth.Result r = Synth.synth(Synth.spec("basic").tenant("globex")
        .service("s3://acme-artifacts/releases/documents-service.jar", "java -Xmx512m -jar /opt/tenantkit/documents-service.jar")
        .build());
    assertThat(r.nagErrors()).isEmpty();
    assertThat(r.nagWarnings()).isEmpty();
    Template t = r.template();
    Map<String, Object> fetch = TenantRegistryTableTest.statements(t).get("FetchServiceArtifact");
    assertThat(fetch).isNotNull();
    assertThat(TenantRegistryTableTest.values(fetch.get("Action"))).containsExactly("s3:GetObject");
    assertThat(new ObjectMapper().writeValueAsString(fetch.get("Resource")))
        .isEqualTo("{\"Fn::Join\":[\"\",[\"arn:\",{\"Ref\":\"AWS::Partition\"},"
            + "\":s3:::acme-artifacts/releases/documents-service.jar\"]]}");
    String userData = new ObjectMapper().writeValueAsString(t.findResources("AWS::EC2::LaunchTemplate"));
    assertThat(userData).contains("TENANTKIT_TENANT_ID=globex")
        .contains("aws s3 cp 's3://acme-artifacts/releases/documents-service.jar' '/opt/tenantkit/documents-service.jar'")
        .contains("EnvironmentFile=/etc/tenantkit/tenant.env").contains("User=tenantkit")
        .contains("StateDirectory=tenantkit")
        .contains("ExecStart=/bin/sh -c 'java -Xmx512m -jar /opt/tenantkit/documents-service.jar'")
        .contains("systemctl enable --now tenantkit-service");
  }

  @Test
  void service_bakedIntoAnAmi_replacesAmazonLinux() {
    Template t = Synth.synth(Synth.spec("basic").tenant("initech").serviceAmi("ami-0123456789abcdef0").build()).template();
    t.hasResourceProperties("AWS::EC2::LaunchTemplate", Map.of("LaunchTemplateData", Match.objectLike(Map.of(
        "ImageId", "ami-0123456789abcdef0"))));
    assertThat(t.toJSON().toString()).doesNotContain("al2023-ami-kernel-default");
  }
}
