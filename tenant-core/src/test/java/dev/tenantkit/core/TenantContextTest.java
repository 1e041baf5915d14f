package dev.tenantkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class TenantContextTest {
  static final Tenant ACME = Tenant.builder().id("acme").tier("premium").build();
  static final Tenant GLOBEX = Tenant.builder().id("globex").tier("basic").build();

  @AfterEach
  void nothingLeaks() {
    assertThat(TenantContext.current()).isEmpty();
    assertThat(MDC.get(TenantContext.MDC_TENANT_ID)).isNull();
  }

  @Test
  void open_setsCurrentAndMdc_closeRestores() {
    assertThat(TenantContext.current()).isEmpty();
    try (TenantScope scope = TenantContext.open(ACME)) {
      assertThat(scope.tenant()).isSameAs(ACME);
      assertThat(TenantContext.require()).isSameAs(ACME);
      assertThat(TenantContext.currentId()).contains(TenantId.of("acme"));
      assertThat(MDC.get("tenant.id")).isEqualTo("acme");
      assertThat(MDC.get("tenant.tier")).isEqualTo("premium");
    }
    assertThat(MDC.get("tenant.tier")).isNull();
  }

  @Test
  void close_restoresMdcValuesThatWereThereBefore() {
    MDC.put("tenant.id", "outer-value");
    try {
      try (TenantScope ignored = TenantContext.open(ACME)) {
        assertThat(MDC.get("tenant.id")).isEqualTo("acme");
      }
      assertThat(MDC.get("tenant.id")).isEqualTo("outer-value");
    } finally {
      MDC.remove("tenant.id");
    }
  }

  @Test
  void require_whenNoScope_throwsNoTenant() {
    assertThatThrownBy(TenantContext::require)
        .isInstanceOf(NoTenantException.class)
        .hasMessageContaining("TenantContext.open");
  }

  @Test
  void open_whenSameTenantNested_nestsAndRestores() {
    try (TenantScope outer = TenantContext.open(ACME)) {
      try (TenantScope inner = TenantContext.open(ACME)) {
        assertThat(TenantContext.require()).isSameAs(ACME);
      }
      assertThat(TenantContext.require()).isSameAs(ACME);
      assertThat(MDC.get("tenant.id")).isEqualTo("acme");
    }
  }

  @Test
  void open_whenOtherTenantInScope_refusedAndScopeUnchanged() {
    try (TenantScope outer = TenantContext.open(ACME)) {
      assertThatThrownBy(() -> TenantContext.open(GLOBEX))
          .isInstanceOfSatisfying(CrossTenantAccessException.class, e -> {
            assertThat(e.current()).isEqualTo(ACME.id());
            assertThat(e.requested()).isEqualTo(GLOBEX.id());
          });
      assertThatThrownBy(() -> TenantContext.run(GLOBEX, () -> { }))
          .isInstanceOf(CrossTenantAccessException.class);
      assertThat(TenantContext.require()).isSameAs(ACME);
      assertThat(MDC.get("tenant.id")).isEqualTo("acme");
    }
  }

  @Test
  void openCrossTenant_whenReasonGiven_switchesAndRestores() {
    try (TenantScope outer = TenantContext.open(ACME)) {
      try (TenantScope admin = TenantContext.openCrossTenant(GLOBEX, "support ticket 42")) {
        assertThat(TenantContext.require()).isSameAs(GLOBEX);
        assertThat(MDC.get("tenant.id")).isEqualTo("globex");
      }
      assertThat(TenantContext.require()).isSameAs(ACME);
      assertThat(MDC.get("tenant.id")).isEqualTo("acme");
    }
  }

  @Test
  void openCrossTenant_whenNoReason_refused() {
    assertThatThrownBy(() -> TenantContext.openCrossTenant(GLOBEX, " "))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void close_whenOutOfOrder_detectedAndThreadLeftClean() {
    TenantScope outer = TenantContext.open(ACME);
    TenantScope inner = TenantContext.open(ACME);
    assertThatThrownBy(outer::close)
        .isInstanceOf(TenantScopeException.class)
        .hasMessageContaining("1 inner scope(s)");
    assertThat(TenantContext.current()).isEmpty();
    assertThat(MDC.get("tenant.id")).isNull();
    inner.close(); // already closed by the outer one: a no-op
    assertThat(TenantContext.current()).isEmpty();
  }

  @Test
  void close_whenCalledTwice_isIdempotent() {
    TenantScope scope = TenantContext.open(ACME);
    scope.close();
    scope.close();
    assertThat(TenantContext.current()).isEmpty();
  }

  @Test
  void close_whenOnAnotherThread_refusedAndOwnerUnaffected() throws Exception {
    ExecutorService other = Executors.newSingleThreadExecutor();
    try (TenantScope scope = TenantContext.open(ACME)) {
      Future<?> f = other.submit(scope::close);
      assertThatThrownBy(f::get).hasCauseInstanceOf(TenantScopeException.class);
      assertThat(TenantContext.require()).isSameAs(ACME);
    } finally {
      other.shutdownNow();
    }
  }

  @Test
  void call_returnsValueAndRestoresEvenOnException() throws Exception {
    assertThat(TenantContext.call(ACME, () -> TenantContext.require().id().value())).isEqualTo("acme");
    assertThatThrownBy(() -> TenantContext.run(ACME, () -> {
      throw new IllegalStateException("boom");
    })).hasMessage("boom");
    assertThat(TenantContext.current()).isEmpty();
  }

  @Test
  void wrap_whenTaskLeaksAScope_threadIsCleanedAfterwards() throws Exception {
    ExecutorService pool = TenantContext.wrap(Executors.newSingleThreadExecutor());
    try {
      try (TenantScope ignored = TenantContext.open(ACME)) {
        pool.submit(() -> {
          TenantContext.open(ACME); // bug in user code: never closed
        }).get();
      }
      // The same pooled thread, next task submitted without a tenant:
      assertThat(pool.submit(() -> TenantContext.current().isPresent()).get()).isFalse();
      assertThat(pool.submit(() -> MDC.get("tenant.id")).get()).isNull();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void wrap_whenCapturedNothing_taskRunsWithoutTenantEvenOnDirtyThread() throws Exception {
    Runnable[] captured = new Runnable[1];
    boolean[] sawTenant = {true};
    captured[0] = TenantContext.wrap((Runnable) () -> sawTenant[0] = TenantContext.current().isPresent());
    try (TenantScope ignored = TenantContext.open(GLOBEX)) {
      captured[0].run(); // runs on a thread that has GLOBEX: must not see it
      assertThat(TenantContext.require()).isSameAs(GLOBEX);
    }
    assertThat(sawTenant[0]).isFalse();
  }
}
