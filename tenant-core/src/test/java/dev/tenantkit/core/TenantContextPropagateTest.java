package dev.tenantkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** {@link TenantContext#propagate}: set in one call, restore in another, never a closed scope. */
class TenantContextPropagateTest {
  static final Tenant ACME = Tenant.builder().id("acme").tier("premium").build();
  static final Tenant GLOBEX = Tenant.builder().id("globex").tier("basic").build();
  static final TenantContext.Captured CAPTURED_ACME = TenantContext.supply(ACME, TenantContext::capture);
  static final TenantContext.Captured CAPTURED_GLOBEX = TenantContext.supply(GLOBEX, TenantContext::capture);

  @AfterEach
  void clean() {
    assertThat(TenantContext.current()).as("test left a tenant on the thread").isEmpty();
    MDC.clear();
  }

  @Test
  void setsTheTenantAndRestoresNone() {
    try (TenantContext.Propagated p = TenantContext.propagate(CAPTURED_ACME)) {
      assertThat(TenantContext.currentId()).contains(ACME.id());
      assertThat(MDC.get(TenantContext.MDC_TENANT_ID)).isEqualTo("acme");
    }
    assertThat(TenantContext.current()).isEmpty();
    assertThat(MDC.get(TenantContext.MDC_TENANT_ID)).isNull();
  }

  @Test
  void replacesAnotherTenantsScopeWithoutACrossTenantSwitchAndPutsItBack() {
    // A worker thread that (wrongly) still had globex open gets exactly the propagated acme, and
    // globex back after: propagation sets the submitter's tenant, it does not nest under the worker's.
    try (TenantScope worker = TenantContext.open(GLOBEX)) {
      try (TenantContext.Propagated p = TenantContext.propagate(CAPTURED_ACME)) {
        assertThat(TenantContext.currentId()).contains(ACME.id());
        assertThat(MDC.get(TenantContext.MDC_TENANT_TIER)).isEqualTo("premium");
      }
      assertThat(TenantContext.currentId()).contains(GLOBEX.id());
      assertThat(MDC.get(TenantContext.MDC_TENANT_ID)).isEqualTo("globex");
    }
  }

  @Test
  void propagatingNoTenantClearsTheThreadUntilClosed() {
    try (TenantScope worker = TenantContext.open(GLOBEX)) {
      try (TenantContext.Propagated p = TenantContext.propagate(null)) {
        assertThat(TenantContext.current()).isEmpty();
        assertThat(MDC.get(TenantContext.MDC_TENANT_ID)).isNull();
        assertThatThrownBy(TenantContext::require).isInstanceOf(NoTenantException.class);
      }
      assertThat(TenantContext.currentId()).contains(GLOBEX.id());
    }
  }

  @Test
  void scopesLeftOpenInsideAreClosedOnRestore() {
    TenantContext.Propagated p = TenantContext.propagate(CAPTURED_ACME);
    TenantContext.open(ACME); // nested, never closed
    p.close();
    assertThat(TenantContext.current()).isEmpty();
    p.close(); // again: nothing
    assertThat(TenantContext.current()).isEmpty();
  }

  @Test
  void captureIsNullWithoutATenant_andCarriesOnlyTheTenantInScope() {
    assertThat(TenantContext.capture()).isNull();
    assertThat(CAPTURED_ACME.tenantId()).isEqualTo(ACME.id());
    assertThat(CAPTURED_ACME.toString()).contains("acme");
  }

  @Test
  void handlesClosedOutOfOrder_neverPutAClosedTenantBack() {
    TenantContext.Propagated a = TenantContext.propagate(CAPTURED_ACME);
    TenantContext.Propagated b = TenantContext.propagate(CAPTURED_GLOBEX);
    a.close(); // out of order: b's frame is unwound with it
    assertThat(TenantContext.current()).isEmpty();
    b.close(); // must not restore acme, whose handle is closed
    assertThat(TenantContext.current()).as("a pooled thread must end clean").isEmpty();
    assertThat(MDC.get(TenantContext.MDC_TENANT_ID)).isNull();
  }

  @Test
  void aScopeClosedFromInsideAPropagation_isNotPutBackAfterIt() {
    TenantScope outer = TenantContext.open(GLOBEX);
    TenantContext.Propagated p = TenantContext.propagate(CAPTURED_ACME);
    outer.close(); // closed while the propagation is on top
    p.close();
    assertThat(TenantContext.current()).isEmpty();
    assertThat(MDC.get(TenantContext.MDC_TENANT_ID)).isNull();
  }

  @Test
  void anOuterScopeClosedUnderAPropagation_isNotPutBackByTheInnerScope() {
    TenantScope outer = TenantContext.open(ACME);
    TenantScope inner = TenantContext.open(ACME);
    TenantContext.Propagated p = TenantContext.propagate(CAPTURED_GLOBEX);
    outer.close(); // out of order, below the propagation
    p.close(); // puts back inner
    assertThat(TenantContext.currentId()).contains(ACME.id());
    inner.close(); // must not put back outer, which is closed
    assertThat(TenantContext.current()).as("a pooled thread must end clean").isEmpty();
    assertThat(MDC.get(TenantContext.MDC_TENANT_ID)).isNull();
  }

  @Test
  void aNoTenantPropagationClosedAfterItsOuterOne_leavesTheCallersOwnScopeOpen() {
    try (TenantScope mine = TenantContext.open(ACME)) {
      TenantContext.Propagated toGlobex = TenantContext.propagate(CAPTURED_GLOBEX);
      TenantContext.Propagated toNone = TenantContext.propagate(null);
      toGlobex.close(); // out of order: unwinds the no-tenant one with it
      assertThat(TenantContext.currentId()).contains(ACME.id());
      toNone.close(); // nothing of it is left: the caller's scope stays
      assertThat(TenantContext.currentId()).contains(ACME.id());
    }
    assertThat(TenantContext.current()).isEmpty();
  }

  @Test
  void restoringOnAnotherThreadIsRefusedAndChangesNothing() throws Exception {
    TenantContext.Propagated p = TenantContext.propagate(CAPTURED_ACME);
    try {
      AtomicReference<Throwable> refused = new AtomicReference<>();
      CompletableFuture.runAsync(() -> {
        try {
          p.close();
        } catch (Throwable t) {
          refused.set(t);
        }
      }).get();
      assertThat(refused.get()).isInstanceOf(TenantScopeException.class);
      assertThat(TenantContext.currentId()).contains(ACME.id());
    } finally {
      p.close();
    }
  }
}
