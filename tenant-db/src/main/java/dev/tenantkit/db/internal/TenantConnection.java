package dev.tenantkit.db.internal;

import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.NClob;
import java.sql.PreparedStatement;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Savepoint;
import java.sql.ShardingKey;
import java.sql.Statement;
import java.sql.Struct;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * The connection a bridge- or pool-mode tenant gets: the pool's connection, with {@link #close()}
 * clearing the tenant from it and giving the tenant's bulkhead permit back, and schema or catalog
 * switches to another tenant's space refused. Every other method forwards as is (a plain class,
 * not a reflection proxy: this is on every borrow).
 */
@SuppressWarnings("NullableProblems")
final class TenantConnection implements Connection {
  private final Connection delegate;
  private final Lease lease;
  private boolean closed;

  TenantConnection(Connection delegate, Lease lease) {
    this.delegate = delegate;
    this.lease = lease;
  }

  /** What {@link TenantConnection} needs from the data source. */
  interface Lease {
    /** Clears the tenant from {@code connection}, returns it to its pool, releases the permit. */
    void release(Connection connection);

    /** Refuses a schema switch that leaves the tenant's space; null to allow it. */
    @Nullable SQLException checkSchema(@Nullable String schema);

    /** Refuses a catalog switch that leaves the tenant's space; null to allow it. */
    @Nullable SQLException checkCatalog(@Nullable String catalog);

    /** Refuses a statement created outside the scope of the tenant the connection was lent to; null to allow it. */
    @Nullable SQLException checkScope();
  }

  /** Every statement is created in the scope of the tenant the connection was lent to. */
  private void inScope() throws SQLException {
    SQLException refused = lease.checkScope();
    if (refused != null) {
      throw refused;
    }
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      lease.release(delegate);
    }
  }

  @Override
  public boolean isClosed() throws SQLException {
    return closed || delegate.isClosed();
  }

  @Override
  public void abort(Executor executor) throws SQLException {
    // The physical connection is aborted (Hikari evicts it); the permit is still given back.
    delegate.abort(executor);
    close();
  }

  @Override
  public void setSchema(String schema) throws SQLException {
    SQLException refused = lease.checkSchema(schema);
    if (refused != null) {
      throw refused;
    }
    delegate.setSchema(schema);
  }

  @Override
  public void setCatalog(String catalog) throws SQLException {
    SQLException refused = lease.checkCatalog(catalog);
    if (refused != null) {
      throw refused;
    }
    delegate.setCatalog(catalog);
  }

  @Override
  public Statement createStatement() throws SQLException {
    inScope();
    return delegate.createStatement();
  }

  @Override
  public PreparedStatement prepareStatement(String a0) throws SQLException {
    inScope();
    return delegate.prepareStatement(a0);
  }

  @Override
  public CallableStatement prepareCall(String a0) throws SQLException {
    inScope();
    return delegate.prepareCall(a0);
  }

  @Override
  public String nativeSQL(String a0) throws SQLException {
    inScope();
    return delegate.nativeSQL(a0);
  }

  @Override
  public void setAutoCommit(boolean a0) throws SQLException {
    delegate.setAutoCommit(a0);
  }

  @Override
  public boolean getAutoCommit() throws SQLException {
    return delegate.getAutoCommit();
  }

  @Override
  public void commit() throws SQLException {
    delegate.commit();
  }

  @Override
  public void rollback() throws SQLException {
    delegate.rollback();
  }

  @Override
  public DatabaseMetaData getMetaData() throws SQLException {
    return delegate.getMetaData();
  }

  @Override
  public void setReadOnly(boolean a0) throws SQLException {
    delegate.setReadOnly(a0);
  }

  @Override
  public boolean isReadOnly() throws SQLException {
    return delegate.isReadOnly();
  }

  @Override
  public String getCatalog() throws SQLException {
    return delegate.getCatalog();
  }

  @Override
  public void setTransactionIsolation(int a0) throws SQLException {
    delegate.setTransactionIsolation(a0);
  }

  @Override
  public int getTransactionIsolation() throws SQLException {
    return delegate.getTransactionIsolation();
  }

  @Override
  public SQLWarning getWarnings() throws SQLException {
    return delegate.getWarnings();
  }

  @Override
  public void clearWarnings() throws SQLException {
    delegate.clearWarnings();
  }

  @Override
  public Statement createStatement(int a0, int a1) throws SQLException {
    inScope();
    return delegate.createStatement(a0, a1);
  }

  @Override
  public PreparedStatement prepareStatement(String a0, int a1, int a2) throws SQLException {
    inScope();
    return delegate.prepareStatement(a0, a1, a2);
  }

  @Override
  public CallableStatement prepareCall(String a0, int a1, int a2) throws SQLException {
    inScope();
    return delegate.prepareCall(a0, a1, a2);
  }

  @Override
  public Map<String, Class<?>> getTypeMap() throws SQLException {
    return delegate.getTypeMap();
  }

  @Override
  public void setTypeMap(Map<String, Class<?>> a0) throws SQLException {
    delegate.setTypeMap(a0);
  }

  @Override
  public void setHoldability(int a0) throws SQLException {
    delegate.setHoldability(a0);
  }

  @Override
  public int getHoldability() throws SQLException {
    return delegate.getHoldability();
  }

  @Override
  public Savepoint setSavepoint() throws SQLException {
    return delegate.setSavepoint();
  }

  @Override
  public Savepoint setSavepoint(String a0) throws SQLException {
    return delegate.setSavepoint(a0);
  }

  @Override
  public void rollback(Savepoint a0) throws SQLException {
    delegate.rollback(a0);
  }

  @Override
  public void releaseSavepoint(Savepoint a0) throws SQLException {
    delegate.releaseSavepoint(a0);
  }

  @Override
  public Statement createStatement(int a0, int a1, int a2) throws SQLException {
    inScope();
    return delegate.createStatement(a0, a1, a2);
  }

  @Override
  public PreparedStatement prepareStatement(String a0, int a1, int a2, int a3) throws SQLException {
    inScope();
    return delegate.prepareStatement(a0, a1, a2, a3);
  }

  @Override
  public CallableStatement prepareCall(String a0, int a1, int a2, int a3) throws SQLException {
    inScope();
    return delegate.prepareCall(a0, a1, a2, a3);
  }

  @Override
  public PreparedStatement prepareStatement(String a0, int a1) throws SQLException {
    inScope();
    return delegate.prepareStatement(a0, a1);
  }

  @Override
  public PreparedStatement prepareStatement(String a0, int[] a1) throws SQLException {
    inScope();
    return delegate.prepareStatement(a0, a1);
  }

  @Override
  public PreparedStatement prepareStatement(String a0, String[] a1) throws SQLException {
    inScope();
    return delegate.prepareStatement(a0, a1);
  }

  @Override
  public Clob createClob() throws SQLException {
    return delegate.createClob();
  }

  @Override
  public Blob createBlob() throws SQLException {
    return delegate.createBlob();
  }

  @Override
  public NClob createNClob() throws SQLException {
    return delegate.createNClob();
  }

  @Override
  public SQLXML createSQLXML() throws SQLException {
    return delegate.createSQLXML();
  }

  @Override
  public boolean isValid(int a0) throws SQLException {
    return delegate.isValid(a0);
  }

  @Override
  public void setClientInfo(String a0, String a1) throws SQLClientInfoException {
    delegate.setClientInfo(a0, a1);
  }

  @Override
  public void setClientInfo(Properties a0) throws SQLClientInfoException {
    delegate.setClientInfo(a0);
  }

  @Override
  public String getClientInfo(String a0) throws SQLException {
    return delegate.getClientInfo(a0);
  }

  @Override
  public Properties getClientInfo() throws SQLException {
    return delegate.getClientInfo();
  }

  @Override
  public Array createArrayOf(String a0, Object[] a1) throws SQLException {
    return delegate.createArrayOf(a0, a1);
  }

  @Override
  public Struct createStruct(String a0, Object[] a1) throws SQLException {
    return delegate.createStruct(a0, a1);
  }

  @Override
  public String getSchema() throws SQLException {
    return delegate.getSchema();
  }

  @Override
  public void setNetworkTimeout(Executor a0, int a1) throws SQLException {
    delegate.setNetworkTimeout(a0, a1);
  }

  @Override
  public int getNetworkTimeout() throws SQLException {
    return delegate.getNetworkTimeout();
  }

  @Override
  public void beginRequest() throws SQLException {
    delegate.beginRequest();
  }

  @Override
  public void endRequest() throws SQLException {
    delegate.endRequest();
  }

  @Override
  public boolean setShardingKeyIfValid(ShardingKey a0, ShardingKey a1, int a2) throws SQLException {
    return delegate.setShardingKeyIfValid(a0, a1, a2);
  }

  @Override
  public boolean setShardingKeyIfValid(ShardingKey a0, int a1) throws SQLException {
    return delegate.setShardingKeyIfValid(a0, a1);
  }

  @Override
  public void setShardingKey(ShardingKey a0, ShardingKey a1) throws SQLException {
    delegate.setShardingKey(a0, a1);
  }

  @Override
  public void setShardingKey(ShardingKey a0) throws SQLException {
    delegate.setShardingKey(a0);
  }
  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    if (iface.isInstance(this)) {
      return iface.cast(this);
    }
    // Driver extensions (PGConnection for COPY, say) stay reachable, as with any pool. Closing
    // the unwrapped driver connection breaks it, and the pool discards it on return.
    return delegate.unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return iface.isInstance(this) || delegate.isWrapperFor(iface);
  }
}
