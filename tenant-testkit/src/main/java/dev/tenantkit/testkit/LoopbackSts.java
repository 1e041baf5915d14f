package dev.tenantkit.testkit;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * No STS server runs here, so this loopback endpoint answers {@code AssumeRole} in the STS query
 * protocol (form-encoded POST in, XML out); the real SDK STS client talks to it, so the SDK's own
 * marshalling runs and a test sees exactly what would be sent to AWS. The n-th credentials it
 * hands out are {@code ASIAEXAMPLEn} / {@code secretn} / {@code tokenn}.
 */
public final class LoopbackSts extends LoopbackAwsEndpoint {
  /** How long the credentials handed out from now on stay valid. */
  private volatile Duration expiresIn = Duration.ofHours(1);
  private final AtomicInteger issued = new AtomicInteger();

  /** Starts the endpoint on a loopback port. */
  public LoopbackSts() {
    super(AwsWireProtocol.query("https://sts.amazonaws.com/doc/2011-06-15/"));
  }

  /** How long the credentials handed out from now on stay valid. */
  public void expiresIn(Duration d) {
    this.expiresIn = d;
  }

  @Override
  protected Reply answer(Call call) {
    if (!call.operation().equals("AssumeRole")) {
      return error(400, "InvalidAction", "not modelled: " + call.operation());
    }
    int i = issued.incrementAndGet();
    String session = call.params().get("RoleSessionName");
    return ok(call, "<Credentials><AccessKeyId>ASIAEXAMPLE" + i + "</AccessKeyId><SecretAccessKey>secret" + i
        + "</SecretAccessKey><SessionToken>token" + i + "</SessionToken><Expiration>" + Instant.now().plus(expiresIn)
        + "</Expiration></Credentials><AssumedRoleUser><Arn>arn:aws:sts::111122223333:assumed-role/tenantkit-storage/"
        + session + "</Arn><AssumedRoleId>AROAEXAMPLE:" + session + "</AssumedRoleId></AssumedRoleUser>"
        + "<PackedPolicySize>12</PackedPolicySize>");
  }
}
