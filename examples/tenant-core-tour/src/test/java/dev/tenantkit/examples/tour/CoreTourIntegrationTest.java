package dev.tenantkit.examples.tour;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Runs the README's example as CI: every isolation check in the tour must hold. */
class CoreTourIntegrationTest {

  @Test
  void tour_allIsolationChecksHold() throws Exception {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    boolean held = CoreTour.run(new PrintStream(buffer, true, StandardCharsets.UTF_8));
    String table = buffer.toString(StandardCharsets.UTF_8);
    assertThat(held).as(table).isTrue();
    assertThat(table).contains("All 11 isolation checks held.");
  }
}
