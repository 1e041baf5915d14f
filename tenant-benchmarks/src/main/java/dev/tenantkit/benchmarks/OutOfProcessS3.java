package dev.tenantkit.benchmarks;

import dev.tenantkit.testkit.LocalS3;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@link LocalS3} server in a child JVM, so that a benchmark measures its client without the
 * server's JIT compilation, allocation and GC happening inside the measured JVM. The child lives
 * until its standard input closes (or it is destroyed).
 */
final class OutOfProcessS3 implements AutoCloseable {
  private static final String READY = "TENANTKIT-LOCALS3-LISTENING ";

  private final Process process;
  private final URI endpoint;

  private OutOfProcessS3(Process process, URI endpoint) {
    this.process = process;
    this.endpoint = endpoint;
  }

  static OutOfProcessS3 start() {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new ArrayList<>();
    // -Dtenantkit.s3.cpu=N pins the server to CPU N (Linux taskset), so that with the benchmark
    // JVM pinned to the other CPU client and server do not compete for a core.
    String cpu = System.getProperty("tenantkit.s3.cpu");
    if (cpu != null && cpu.matches("[0-9]+(-[0-9]+)?")) {
      command.addAll(List.of("taskset", "-c", cpu));
    }
    command.addAll(List.of(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
        OutOfProcessS3.class.getName()));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    try {
      Process p = pb.start();
      BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith(READY)) {
          URI endpoint = URI.create("http://127.0.0.1:" + line.substring(READY.length()).trim());
          Thread drain = new Thread(() -> drain(out), "locals3-child-stdout");
          drain.setDaemon(true);
          drain.start();
          return new OutOfProcessS3(p, endpoint);
        }
      }
      p.destroyForcibly();
      throw new IllegalStateException("the S3 server process ended before it listened");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the S3 server process", e);
    }
  }

  private static void drain(BufferedReader out) {
    try {
      while (out.readLine() != null) {
        // discard the child's log lines
      }
    } catch (IOException ignored) {
      // the child ended
    }
  }

  URI endpoint() {
    return endpoint;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  /** The child: start the server, print the port, run until stdin closes. */
  public static void main(String[] args) throws IOException {
    try (LocalS3 s3 = LocalS3.start()) {
      System.out.println(READY + s3.endpoint().getPort());
      System.out.flush();
      while (System.in.read() != -1) {
        // wait for the parent to go away
      }
    }
  }
}
