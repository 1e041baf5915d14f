package dev.tenantkit.testkit;

import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that gives tests the local stand-ins, each started once per test run (on
 * first use) and stopped when the run ends: declare a parameter of type {@link LocalPostgres},
 * {@link LocalS3} or {@link LocalTokenIssuer} in a test, constructor or lifecycle method.
 *
 * <pre>{@code
 * @ExtendWith(LocalServices.class)
 * class DocumentsIntegrationTest {
 *   @Test
 *   void roundTrip(LocalPostgres pg, LocalS3 s3, LocalTokenIssuer issuer) { ... }
 * }
 * }</pre>
 *
 * <p>The instances are shared by every test class of the run (starting PostgreSQL takes a few
 * seconds): give each test its own databases, buckets and user pools.
 */
public final class LocalServices implements ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LocalServices.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == LocalPostgres.class || type == LocalS3.class || type == LocalTokenIssuer.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    ExtensionContext.Store store = context.getRoot().getStore(NAMESPACE);
    if (type == LocalPostgres.class) {
      return shared(store, LocalPostgres.class, LocalPostgres::start, LocalPostgres::close);
    }
    if (type == LocalS3.class) {
      return shared(store, LocalS3.class, LocalS3::start, LocalS3::close);
    }
    if (type == LocalTokenIssuer.class) {
      return shared(store, LocalTokenIssuer.class, LocalTokenIssuer::start, LocalTokenIssuer::close);
    }
    throw new ParameterResolutionException("LocalServices cannot supply a " + type.getName());
  }

  private static <T> T shared(ExtensionContext.Store store, Class<T> type, Supplier<T> start,
      java.util.function.Consumer<T> stop) {
    // The root store closes its AutoCloseable values when the whole run ends (JUnit 5.13 and later,
    // and JUnit 6, which warns about values that are only the deprecated CloseableResource).
    Holder<?> holder = store.getOrComputeIfAbsent(type, k -> new Holder<>(start.get(), stop), Holder.class);
    return type.cast(holder.value);
  }

  private static final class Holder<T> implements AutoCloseable {
    final T value;
    final java.util.function.Consumer<T> stop;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    Holder(T value, java.util.function.Consumer<T> stop) {
      this.value = value;
      this.stop = stop;
    }

    @Override
    public void close() {
      if (closed.compareAndSet(false, true)) {
        stop.accept(value);
      }
    }
  }
}
