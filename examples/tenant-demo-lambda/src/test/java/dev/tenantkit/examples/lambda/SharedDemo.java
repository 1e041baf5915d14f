package dev.tenantkit.examples.lambda;

import dev.tenantkit.examples.documents.LocalDemo;
import dev.tenantkit.testkit.LocalPostgres;
import dev.tenantkit.testkit.LocalS3;
import dev.tenantkit.testkit.LocalTokenIssuer;

/** The demo tenants, seeded once on the run's shared stand-ins for every test class here. */
final class SharedDemo {
  private static LocalDemo demo;

  private SharedDemo() {}

  static synchronized LocalDemo on(LocalPostgres pg, LocalS3 s3, LocalTokenIssuer issuer) {
    if (demo == null) {
      demo = LocalDemo.on(pg, s3, issuer);
    }
    return demo;
  }
}
