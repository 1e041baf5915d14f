package dev.tenantkit.core.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.crac.CheckpointException;
import org.crac.Context;
import org.crac.Resource;
import org.crac.RestoreException;
import org.junit.jupiter.api.Test;

/**
 * The hooks called the way Lambda's runtime calls them on SnapStart: resources registered with a
 * context; before the snapshot, each one's {@code beforeCheckpoint} in reverse order of
 * registration; after a restore, each one's {@code afterRestore} in order of registration (AWS
 * Lambda documentation, "Lambda SnapStart runtime hooks for Java").
 */
class SnapStartPrimingTest {

  /** A CRaC context as the runtime's global one behaves. */
  static final class RuntimeLikeContext extends Context<Resource> {
    private final List<Resource> resources = new ArrayList<>();

    @Override
    public void register(Resource r) {
      resources.add(r);
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) throws CheckpointException {
      for (int i = resources.size() - 1; i >= 0; i--) {
        try {
          resources.get(i).beforeCheckpoint(this);
        } catch (Exception e) {
          CheckpointException c = new CheckpointException();
          c.addSuppressed(e);
          throw c;
        }
      }
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) throws RestoreException {
      for (Resource r : resources) {
        try {
          r.afterRestore(this);
        } catch (Exception e) {
          RestoreException x = new RestoreException();
          x.addSuppressed(e);
          throw x;
        }
      }
    }
  }

  @Test
  void hooks_runTheirStepsInOrder_beforeTheSnapshotAndAfterEachRestore() throws Exception {
    List<String> log = new ArrayList<>();
    RuntimeLikeContext runtime = new RuntimeLikeContext();
    SnapStartPriming priming = SnapStartPriming.builder()
        .beforeCheckpoint("keys", () -> log.add("warm keys"))
        .beforeCheckpoint("pools", () -> log.add("close pools"))
        .afterRestore("pools", () -> log.add("close pools"))
        .afterRestore("sessions", () -> log.add("clear sessions"))
        .build();
    runtime.register(priming);
    runtime.beforeCheckpoint(null);
    assertThat(log).containsExactly("warm keys", "close pools");
    runtime.afterRestore(null);
    runtime.afterRestore(null); // a second environment restored from the same snapshot
    assertThat(log).containsExactly("warm keys", "close pools", "close pools", "clear sessions", "close pools",
        "clear sessions");
  }

  @Test
  void aFailingStep_failsTheCheckpoint_namingTheStep_andTheStepsAfterItDoNotRun() {
    List<String> log = new ArrayList<>();
    RuntimeLikeContext runtime = new RuntimeLikeContext();
    runtime.register(SnapStartPriming.builder()
        .beforeCheckpoint("issuer keys", () -> {
          throw new IllegalStateException("the key set at https://issuer.example/jwks could not be fetched");
        })
        .beforeCheckpoint("pools", () -> log.add("close pools"))
        .build());
    assertThatThrownBy(() -> runtime.beforeCheckpoint(null)).isInstanceOf(CheckpointException.class)
        .satisfies(e -> assertThat(e.getSuppressed()[0]).hasMessageContaining("'issuer keys' failed before the snapshot")
            .hasMessageContaining("could not be fetched"));
    assertThat(log).isEmpty();
  }

  @Test
  void register_withTheGlobalContext_onAJvmWithoutCrac_isAccepted() {
    SnapStartPriming priming = SnapStartPriming.builder().afterRestore("nothing", () -> { }).register();
    assertThat(priming).isNotNull();
  }
}
