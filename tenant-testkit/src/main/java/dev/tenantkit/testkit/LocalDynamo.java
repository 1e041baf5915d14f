package dev.tenantkit.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A real DynamoDB implementation on loopback for tests: <a href="https://github.com/architect/dynalite">dynalite</a>
 * 4.0.0 (a third-party, Apache-licensed implementation of the DynamoDB JSON protocol on Node.js,
 * in memory), in its own process. Point the AWS SDK's {@code DynamoDbClient} at
 * {@link #endpoint()} with {@link #REGION} and any static credentials.
 *
 * <p>Needs {@code node} and {@code npm} on the {@code PATH} (Node.js 18 or later) and nothing
 * else: the first start installs dynalite with {@code npm ci} from the lock file inside this jar
 * into a cache directory ({@code ~/.cache/tenantkit/dynalite-<lock hash>}, or the directory the
 * {@code tenantkit.dynalite.dir} system property names) and later starts reuse it. A file lock
 * keeps parallel test JVMs from installing at once, and a lock in this class does so for threads
 * of one JVM ({@code scripts/install-dynalite.sh}, which CI runs before the build, takes neither:
 * run it before tests start, not beside them).
 *
 * <p>What dynalite lacks (its readme's list): transactions ({@code TransactWriteItems},
 * {@code TransactGetItems}), streams, and throughput limits (no throttling errors). Conditional
 * writes, consistent reads, scans with pagination and every item operation behave as DynamoDB's.
 *
 * <pre>{@code
 * try (LocalDynamo dynamo = LocalDynamo.start()) {
 *   DynamoDbClient client = DynamoDbClient.builder().endpointOverride(dynamo.endpoint())
 *       .region(Region.of(LocalDynamo.REGION))
 *       .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
 *       .build();
 * }
 * }</pre>
 */
public final class LocalDynamo implements AutoCloseable {
  /** The Region to give the SDK client (dynalite answers for any). */
  public static final String REGION = "us-east-1";
  /** The dynalite version the lock file in this jar pins. */
  public static final String DYNALITE_VERSION = "4.0.0";

  private static final String LOCK_RESOURCE = "dynalite/package-lock.json";
  private static final String PACKAGE_RESOURCE = "dynalite/package.json";
  private static final long START_TIMEOUT_MS = 20_000;
  private static final long INSTALL_TIMEOUT_MINUTES = 5;

  /** Threads of one JVM: a FileLock is held per process, and a second lock() in it would throw. */
  private static final Object INSTALL_LOCK = new Object();

  private final Process process;
  private final URI endpoint;
  private final Path output;
  private @Nullable Thread shutdownHook;

  private LocalDynamo(Process process, URI endpoint, Path output) {
    this.process = process;
    this.endpoint = endpoint;
    this.output = output;
  }

  /**
   * Installs dynalite when it is not installed yet, then starts it on a free loopback port and
   * waits until it accepts connections.
   *
   * @throws IllegalStateException when node or npm is missing, the install fails, or the server
   *     does not start; the message carries the tool's own output
   */
  public static LocalDynamo start() {
    Path home = install();
    Path cli = home.resolve("node_modules/dynalite/cli.js");
    IllegalStateException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      int port = freePort();
      Path output;
      Process process;
      try {
        output = Files.createTempFile("tenantkit-dynalite-", ".log");
        output.toFile().deleteOnExit();
        process = new ProcessBuilder("node", cli.toString(), "--host", "127.0.0.1", "--port", String.valueOf(port),
            "--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0")
            .redirectErrorStream(true).redirectOutput(output.toFile()).start();
      } catch (IOException e) {
        throw new IllegalStateException("LocalDynamo: cannot run node (is Node.js on the PATH?): " + e.getMessage(), e);
      }
      LocalDynamo dynamo = new LocalDynamo(process, URI.create("http://127.0.0.1:" + port), output);
      try {
        dynamo.awaitListening(port);
        Thread hook = new Thread(dynamo::stopProcess, "tenantkit-dynalite-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        dynamo.shutdownHook = hook;
        return dynamo;
      } catch (IllegalStateException e) {
        dynamo.close();
        last = e; // most likely the port was taken between the probe and the start: try another
      }
    }
    throw Objects.requireNonNull(last);
  }

  /** {@code http://127.0.0.1:PORT}. */
  public URI endpoint() {
    return endpoint;
  }

  /** Whether the server process is still running. */
  public boolean isRunning() {
    return process.isAlive();
  }

  /** Stops the server; its in-memory tables are gone. Idempotent. */
  @Override
  public void close() {
    Thread hook = shutdownHook;
    if (hook != null) {
      shutdownHook = null;
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // the JVM is shutting down: the hook runs anyway
      }
    }
    stopProcess();
  }

  private void stopProcess() {
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    try {
      Files.deleteIfExists(output);
    } catch (IOException e) {
      // a temporary log file; deleteOnExit tries again
    }
  }

  private void awaitListening(int port) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MS);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("LocalDynamo: dynalite exited with status " + process.exitValue()
            + " before listening on port " + port + ": " + tail(output));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException e) {
        sleep(50);
      }
    }
    throw new IllegalStateException("LocalDynamo: dynalite did not listen on port " + port + " within "
        + START_TIMEOUT_MS + " ms: " + tail(output));
  }

  /** The install directory, installed from the jar's lock file if it is not yet. */
  static Path install() {
    byte[] lock = resource(LOCK_RESOURCE);
    byte[] pkg = resource(PACKAGE_RESOURCE);
    String configured = System.getProperty("tenantkit.dynalite.dir");
    Path home = configured != null && !configured.isBlank() ? Path.of(configured)
        : Path.of(System.getProperty("user.home"), ".cache", "tenantkit", "dynalite-" + shortHash(lock, pkg));
    Path cli = home.resolve("node_modules/dynalite/cli.js");
    Path done = home.resolve(".installed");
    if (Files.isRegularFile(done) && Files.isRegularFile(cli)) {
      return home;
    }
    synchronized (INSTALL_LOCK) {
      return installLocked(home, lock, pkg, cli, done);
    }
  }

  private static Path installLocked(Path home, byte[] lock, byte[] pkg, Path cli, Path done) {
    try {
      Files.createDirectories(home);
      try (FileChannel channel = FileChannel.open(home.resolve(".install.lock"), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE); FileLock held = channel.lock()) {
        if (Files.isRegularFile(done) && Files.isRegularFile(cli)) {
          return home; // another JVM installed it while this one waited
        }
        Files.write(home.resolve("package.json"), pkg);
        Files.write(home.resolve("package-lock.json"), lock);
        run(home, List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"));
        if (!Files.isRegularFile(cli)) {
          throw new IllegalStateException("LocalDynamo: npm ci finished but " + cli + " is missing");
        }
        Files.writeString(home.resolve(".installed"), DYNALITE_VERSION + "\n");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("LocalDynamo: cannot install dynalite into " + home, e);
    }
    return home;
  }

  private static void run(Path dir, List<String> command) throws IOException {
    Path log = Files.createTempFile("tenantkit-npm-", ".log");
    try {
      Process p;
      try {
        p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
            .redirectOutput(log.toFile()).start();
      } catch (IOException e) {
        throw new IllegalStateException("LocalDynamo: cannot run npm (is Node.js with npm on the PATH?): "
            + e.getMessage(), e);
      }
      boolean finished = p.waitFor(INSTALL_TIMEOUT_MINUTES, TimeUnit.MINUTES);
      if (!finished) {
        p.destroyForcibly();
        throw new IllegalStateException("LocalDynamo: '" + String.join(" ", command) + "' in " + dir
            + " did not finish within " + INSTALL_TIMEOUT_MINUTES + " minutes: " + tail(log));
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException("LocalDynamo: '" + String.join(" ", command) + "' in " + dir
            + " failed with status " + p.exitValue() + ": " + tail(log));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("LocalDynamo: interrupted while installing dynalite", e);
    } finally {
      Files.deleteIfExists(log);
    }
  }

  private static byte[] resource(String name) {
    try (InputStream in = LocalDynamo.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("LocalDynamo: " + name + " is missing from tenant-testkit's jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String shortHash(byte[]... parts) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (byte[] p : parts) {
        sha.update(p);
      }
      return HexFormat.of().formatHex(sha.digest(), 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The last lines of a tool's output, for an error message. */
  private static String tail(@Nullable Path file) {
    if (file == null) {
      return "";
    }
    try {
      List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
      List<String> last = lines.subList(Math.max(0, lines.size() - 15), lines.size());
      return last.isEmpty() ? "(no output)" : String.join("\n", last);
    } catch (IOException e) {
      return "(output unreadable: " + e.getMessage() + ")";
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("LocalDynamo: interrupted while starting", e);
    }
  }
}
