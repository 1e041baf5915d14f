package dev.tenantkit.provision.cli;

import dev.tenantkit.provision.StackDeployer;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Where the AWS calls go (the default credentials chain, or a test endpoint) and the one place the
 * commands get their clients, deployer and onboarding from.
 */
final class AwsOptions {
  @Option(names = "--endpoint-url", description = "send CloudFormation, EC2 and S3 calls here (testing only)",
      hidden = true)
  @Nullable URI endpoint;

  @Option(names = "--ec2-endpoint-url", hidden = true, description = "send EC2 calls here (testing only)")
  @Nullable URI ec2Endpoint;

  @Option(names = "--s3-endpoint-url", hidden = true, description = "send S3 calls here (testing only)")
  @Nullable URI s3Endpoint;

  @Option(names = "--dynamodb-endpoint-url", hidden = true, description = "send DynamoDB calls here (testing only)")
  @Nullable URI dynamoDbEndpoint;

  @Option(names = "--poll-seconds", defaultValue = "5", description = "status polling interval in seconds")
  double pollSeconds;

  CloudFormationClient cloudFormation(String region) {
    var b = CloudFormationClient.builder().region(Region.of(region));
    if (endpoint != null) {
      b.endpointOverride(endpoint);
    }
    return b.build();
  }

  Ec2Client ec2(String region) {
    var b = Ec2Client.builder().region(Region.of(region));
    URI target = ec2Endpoint != null ? ec2Endpoint : endpoint;
    if (target != null) {
      b.endpointOverride(target);
    }
    return b.build();
  }

  S3Client s3(String region) {
    var b = S3Client.builder().region(Region.of(region));
    if (s3Endpoint != null) {
      // An S3-compatible test server: path-style, checksums only where S3 requires them.
      b.endpointOverride(s3Endpoint).forcePathStyle(true)
          .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
          .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    }
    return b.build();
  }

  DynamoDbClient dynamoDb(String region) {
    var b = DynamoDbClient.builder().region(Region.of(region));
    if (dynamoDbEndpoint != null) {
      b.endpointOverride(dynamoDbEndpoint);
    }
    return b.build();
  }

  Duration poll() {
    return Duration.ofMillis((long) (pollSeconds * 1000));
  }

  /**
   * The deployer of every command: CloudFormation in {@code region}, polling at {@code --poll-seconds},
   * progress to {@code out}, and the template bucket when one is given.
   */
  StackDeployer deployer(String region, PrintWriter out, @Nullable String templateBucket) {
    StackDeployer.Builder d = StackDeployer.builder().cloudFormation(cloudFormation(region)).pollInterval(poll())
        .progress(out::println);
    if (templateBucket != null) {
      d.templateBucket(s3(region), templateBucket);
    }
    return d.build();
  }
}
