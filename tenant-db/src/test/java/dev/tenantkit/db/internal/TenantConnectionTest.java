package dev.tenantkit.db.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The borrowed connection's plain methods reach the pool's connection unchanged, in both
 * directions: every argument goes down as given and every result comes back as the driver gave
 * it. A hand-written delegate for all of {@link Connection} is easy to get subtly wrong (a
 * forgotten call, a swapped argument, a constant returned), and a wrong {@code commit} or
 * {@code setReadOnly} is silent. The walls (close, abort, setSchema, setCatalog, unwrap) are
 * checked on their own, here and against the real driver in the integration tests.
 *
 * <p>The pool's connection here is a recording {@link Proxy}: the question is what
 * {@link TenantConnection} passes through, which the real driver cannot show for calls with no
 * visible effect (clearWarnings, beginRequest, sharding keys).
 */
class TenantConnectionTest {
  /** Methods with their own behaviour, tested below rather than by the forwarding sweep. */
  private static final Set<String> WALLS = Set.of("close", "isClosed", "abort", "setSchema", "setCatalog",
      "unwrap", "isWrapperFor");

  private record Call(String method, List<Object> args) {}

  /** A pool connection that records calls and answers each with {@code answer}'s value. */
  private static final class Recorder {
    final List<Call> calls = new ArrayList<>();
    boolean booleanAnswer = true;

    Connection connection() {
      return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
          (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
              return method.getName().equals("equals") ? proxy == args[0]
                  : method.getName().equals("hashCode") ? System.identityHashCode(proxy) : "recorder";
            }
            calls.add(new Call(method.getName(), args == null ? List.of() : Arrays.asList(args)));
            return answer(method.getReturnType(), booleanAnswer);
          });
    }
  }

  /** A distinct, non-default value of each type (never 0, false-only, empty or null). */
  private static @Nullable Object answer(Class<?> type, boolean bool) {
    if (type == void.class) {
      return null;
    }
    if (type == boolean.class) {
      return bool;
    }
    if (type == int.class) {
      return 4711;
    }
    if (type == String.class) {
      return "from-the-driver";
    }
    if (type == Map.class) {
      return Map.of("t", Object.class);
    }
    if (type == Properties.class) {
      Properties p = new Properties();
      p.setProperty("ApplicationName", "from-the-driver");
      return p;
    }
    if (type == java.sql.SQLWarning.class) {
      return new java.sql.SQLWarning("from-the-driver");
    }
    if (type.isInterface()) {
      return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
          (p, m, a) -> switch (m.getName()) {
            case "equals" -> p == a[0];
            case "hashCode" -> System.identityHashCode(p);
            case "toString" -> "a " + type.getSimpleName();
            default -> null;
          });
    }
    throw new AssertionError("no sample value for " + type);
  }

  /** An argument of each parameter type, distinct per position so a swap shows. */
  private static Object argument(Class<?> type, int position) {
    if (type == int.class) {
      return 100 + position;
    }
    if (type == boolean.class) {
      return position % 2 == 0;
    }
    if (type == String.class) {
      return "arg" + position;
    }
    if (type == Object[].class) {
      return new Object[] {"element" + position};
    }
    if (type == int[].class) {
      return new int[] {position};
    }
    if (type == String[].class) {
      return new String[] {"column" + position};
    }
    if (type == Map.class) {
      return Map.of("arg" + position, String.class);
    }
    if (type == Properties.class) {
      Properties p = new Properties();
      p.setProperty("arg", String.valueOf(position));
      return p;
    }
    if (type == Executor.class) {
      return (Executor) Runnable::run;
    }
    Object value = answer(type, true);
    if (value == null) {
      throw new AssertionError("no argument for " + type);
    }
    return value;
  }

  @Test
  void statementsOutsideTheTenantsScope_refused_beforeReachingThePoolsConnection() throws Exception {
    Recorder recorder = new Recorder();
    NoLease lease = new NoLease();
    lease.scopeAnswer = new SQLException("wrong scope", "TK012");
    TenantConnection c = new TenantConnection(recorder.connection(), lease);
    int statementMethods = 0;
    for (Method m : Connection.class.getMethods()) {
      if (!List.of("createStatement", "prepareStatement", "prepareCall", "nativeSQL").contains(m.getName())) {
        continue;
      }
      statementMethods++;
      Object[] args = new Object[m.getParameterCount()];
      for (int i = 0; i < args.length; i++) {
        args[i] = argument(m.getParameterTypes()[i], i);
      }
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> m.invoke(c, args)).as(m.toString())
          .hasRootCauseMessage("wrong scope");
    }
    org.assertj.core.api.Assertions.assertThat(statementMethods).isEqualTo(13);
    org.assertj.core.api.Assertions.assertThat(recorder.calls).isEmpty();
  }

  private static final class NoLease implements TenantConnection.Lease {
    final List<Connection> released = new ArrayList<>();
    @Nullable SQLException schemaAnswer;
    @Nullable SQLException catalogAnswer;
    @Nullable SQLException scopeAnswer;

    @Override
    public @Nullable SQLException checkScope() {
      return scopeAnswer;
    }

    @Override
    public void release(Connection connection) {
      released.add(connection);
    }

    @Override
    public @Nullable SQLException checkSchema(@Nullable String schema) {
      return schemaAnswer;
    }

    @Override
    public @Nullable SQLException checkCatalog(@Nullable String catalog) {
      return catalogAnswer;
    }
  }

  private static List<Method> forwardedMethods() {
    List<Method> out = new ArrayList<>();
    for (Method m : Connection.class.getMethods()) {
      if (!Modifier.isStatic(m.getModifiers()) && !WALLS.contains(m.getName())) {
        out.add(m);
      }
    }
    return out;
  }

  @Test
  void everyOtherMethod_forwardsItsArgumentsAndResultUnchanged() throws Exception {
    List<Method> methods = forwardedMethods();
    assertThat(methods).as("java.sql.Connection's plain methods").hasSizeGreaterThan(45);
    for (boolean bool : new boolean[] {true, false}) {
      for (Method m : methods) {
        Recorder recorder = new Recorder();
        recorder.booleanAnswer = bool;
        NoLease lease = new NoLease();
        TenantConnection c = new TenantConnection(recorder.connection(), lease);
        Object[] args = new Object[m.getParameterCount()];
        for (int i = 0; i < args.length; i++) {
          args[i] = argument(m.getParameterTypes()[i], i);
        }
        Object result;
        try {
          result = m.invoke(c, args);
        } catch (InvocationTargetException e) {
          throw new AssertionError(m + " threw", e.getCause());
        }
        assertThat(recorder.calls).as(m.toString()).containsExactly(new Call(m.getName(), Arrays.asList(args)));
        Class<?> r = m.getReturnType();
        if (r.isPrimitive()) {
          assertThat(result).as(m.toString()).isEqualTo(answer(r, bool));
        } else if (r != void.class) {
          assertThat(result).as(m + " returns the driver's own object").isNotNull();
          if (r == String.class || r == Map.class || r == Properties.class) {
            assertThat(result).as(m.toString()).isEqualTo(answer(r, bool));
          }
        }
        assertThat(lease.released).as(m + " does not return the connection").isEmpty();
      }
    }
  }

  @Test
  void close_releasesOnce_andIsClosedAfterwards() throws Exception {
    Recorder recorder = new Recorder();
    recorder.booleanAnswer = false;
    NoLease lease = new NoLease();
    Connection pooled = recorder.connection();
    TenantConnection c = new TenantConnection(pooled, lease);
    assertThat(c.isClosed()).isFalse();
    c.close();
    c.close();
    assertThat(lease.released).containsExactly(pooled);
    assertThat(c.isClosed()).isTrue();
    // The borrower's close is the lease's: the pool's connection is not closed by it.
    assertThat(recorder.calls).extracting(Call::method).doesNotContain("close");
  }

  @Test
  void isClosed_whenThePoolsConnectionIsClosed_isTrue() throws Exception {
    Recorder recorder = new Recorder();
    recorder.booleanAnswer = true;
    TenantConnection c = new TenantConnection(recorder.connection(), new NoLease());
    assertThat(c.isClosed()).isTrue();
  }

  @Test
  void abort_abortsThePoolsConnection_andStillGivesTheLeaseBack() throws Exception {
    Recorder recorder = new Recorder();
    NoLease lease = new NoLease();
    Connection pooled = recorder.connection();
    TenantConnection c = new TenantConnection(pooled, lease);
    Executor executor = Runnable::run;
    c.abort(executor);
    assertThat(recorder.calls).containsExactly(new Call("abort", List.of(executor)));
    assertThat(lease.released).containsExactly(pooled);
  }

  @Test
  void setSchemaAndCatalog_refusedByTheLease_neverReachTheDriver() throws Exception {
    Recorder recorder = new Recorder();
    NoLease lease = new NoLease();
    TenantConnection c = new TenantConnection(recorder.connection(), lease);
    lease.schemaAnswer = new SQLException("schema refused");
    lease.catalogAnswer = new SQLException("catalog refused");
    assertThatThrownBy(() -> c.setSchema("other")).isSameAs(lease.schemaAnswer);
    assertThatThrownBy(() -> c.setCatalog("other")).isSameAs(lease.catalogAnswer);
    assertThat(recorder.calls).isEmpty();

    lease.schemaAnswer = null;
    lease.catalogAnswer = null;
    c.setSchema("own");
    c.setCatalog("own");
    assertThat(recorder.calls).containsExactly(new Call("setSchema", List.of("own")),
        new Call("setCatalog", List.of("own")));
  }

  @Test
  void unwrapAndIsWrapperFor_answerForTheWrapper_thenAskTheDriver() throws Exception {
    Recorder recorder = new Recorder();
    recorder.booleanAnswer = false;
    TenantConnection c = new TenantConnection(recorder.connection(), new NoLease());
    assertThat(c.unwrap(Connection.class)).isSameAs(c);
    assertThat(c.isWrapperFor(Connection.class)).isTrue();
    assertThat(recorder.calls).isEmpty();

    assertThat(c.isWrapperFor(Runnable.class)).isFalse();
    recorder.booleanAnswer = true;
    assertThat(c.isWrapperFor(Runnable.class)).isTrue();
    assertThat(recorder.calls).containsExactly(new Call("isWrapperFor", List.of(Runnable.class)),
        new Call("isWrapperFor", List.of(Runnable.class)));
  }
}
