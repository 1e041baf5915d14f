package dev.tenantkit.benchmarks.load;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import java.util.function.Predicate;

/**
 * An open-loop load generator on the JDK's HTTP client: each stream sends its requests at fixed
 * intended times (rate per second, for a duration) whether or not earlier ones have answered, and
 * a request's latency is measured from its intended time, so a stalled server shows as latency
 * instead of as fewer requests (no coordinated omission). A closed-loop mode measures capacity.
 * Every 2xx answer is checked for the requester's data only ({@code wrongTenant}), and probes
 * (requests for another tenant's documents) must be answered 404. "ok" below means the expected
 * answer; percentiles are over those.
 */
final class OpenLoop {
  /**
   * One request's outcome.
   *
   * @param probe whether it asked for another tenant's document (its expected answer is 404)
   * @param wrongTenant whether a 2xx answer carried data of a tenant other than the requester's
   */
  record Sample(String stream, long intendedNanos, long latencyNanos, int status, boolean probe,
      boolean wrongTenant) {
    /** The answer this request should get: 2xx for its own data, 404 for a probe. */
    boolean asExpected() {
      return probe ? status == 404 : status >= 200 && status < 300;
    }
  }

  /** One request to send; a probe asks for another tenant's document. */
  record Req(HttpRequest request, boolean probe) {}

  /**
   * A stream of requests: one tenant at one rate.
   *
   * @param wrongTenant given a 2xx answer's body, whether it carries another tenant's data
   */
  record Stream(String name, double perSecond, Duration duration, IntFunction<Req> request,
      Predicate<String> wrongTenant) {}

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
      .version(HttpClient.Version.HTTP_1_1).build();

  /** Runs the streams side by side; returns every sample, in completion order. */
  List<Sample> run(long startNanos, Stream... streams) throws InterruptedException {
    ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<CompletableFuture<?>> inFlight = new ConcurrentLinkedQueue<>();
    List<Thread> senders = new ArrayList<>();
    for (Stream s : streams) {
      Thread t = new Thread(() -> send(s, startNanos, samples, inFlight), "load-" + s.name());
      t.start();
      senders.add(t);
    }
    for (Thread t : senders) {
      t.join();
    }
    for (CompletableFuture<?> f : inFlight) {
      try {
        f.get(60, TimeUnit.SECONDS);
      } catch (Exception e) {
        // recorded as a failed sample by the future itself
      }
    }
    return new ArrayList<>(samples);
  }

  private void send(Stream s, long start, ConcurrentLinkedQueue<Sample> samples,
      ConcurrentLinkedQueue<CompletableFuture<?>> inFlight) {
    long interval = (long) (1e9 / s.perSecond());
    long count = (long) (s.duration().toNanos() / interval);
    for (int i = 0; i < count; i++) {
      long intended = start + i * interval;
      long wait = intended - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      Req request = s.request().apply(i);
      inFlight.add(http.sendAsync(request.request(), HttpResponse.BodyHandlers.ofString()).handle((r, e) -> {
        samples.add(sample(s, request, intended - start, System.nanoTime() - intended, r, e));
        return null;
      }));
    }
  }

  private static Sample sample(Stream s, Req request, long intended, long latency, HttpResponse<String> r,
      Throwable e) {
    if (e != null || r == null) {
      return new Sample(s.name(), intended, latency, 0, request.probe(), false);
    }
    boolean ok = r.statusCode() >= 200 && r.statusCode() < 300;
    return new Sample(s.name(), intended, latency, r.statusCode(), request.probe(),
        ok && s.wrongTenant().test(r.body()));
  }

  /**
   * Closed loop, for capacity: {@code clients} threads each send the stream's requests back to
   * back for its duration (the stream's rate is ignored); returns every sample.
   */
  List<Sample> closedLoop(int clients, Stream s) throws InterruptedException {
    ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
    long start = System.nanoTime();
    long end = start + s.duration().toNanos();
    java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      Thread t = new Thread(() -> {
        while (System.nanoTime() < end) {
          Req request = s.request().apply(next.getAndIncrement());
          long sent = System.nanoTime();
          HttpResponse<String> r = null;
          Throwable e = null;
          try {
            r = http.send(request.request(), HttpResponse.BodyHandlers.ofString());
          } catch (Exception x) {
            e = x;
            if (x instanceof InterruptedException) {
              Thread.currentThread().interrupt();
              return;
            }
          }
          samples.add(sample(s, request, sent - start, System.nanoTime() - sent, r, e));
        }
      }, "closed-" + s.name() + "-" + c);
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join();
    }
    return new ArrayList<>(samples);
  }

  /** Counts and latency percentiles of one stream's samples (or all, for a null name). */
  record Summary(String stream, int sent, int ok, int refused429, int otherStatus, int failed, int wrongTenant,
      double seconds, double p50Millis, double p99Millis) {
    /** Answers as expected (2xx, or 404 for a probe) per second. */
    double okPerSecond() {
      return ok / seconds;
    }

    double perSecond() {
      return sent / seconds;
    }

    static Summary of(String stream, List<Sample> all, double seconds) {
      List<Sample> mine = all.stream().filter(x -> stream == null || x.stream().equals(stream)).toList();
      long[] okLatencies = mine.stream().filter(Sample::asExpected).mapToLong(Sample::latencyNanos).sorted()
          .toArray();
      int ok = okLatencies.length;
      int refused = (int) mine.stream().filter(x -> !x.asExpected() && x.status() == 429).count();
      int failed = (int) mine.stream().filter(x -> !x.asExpected() && x.status() == 0).count();
      int other = mine.size() - ok - refused - failed;
      int wrong = (int) mine.stream().filter(Sample::wrongTenant).count();
      return new Summary(stream == null ? "all" : stream, mine.size(), ok, refused, other, failed, wrong, seconds,
          percentile(okLatencies, 0.50), percentile(okLatencies, 0.99));
    }

    private static double percentile(long[] sorted, double q) {
      if (sorted.length == 0) {
        return Double.NaN;
      }
      int i = (int) Math.ceil(q * sorted.length) - 1;
      return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }

    @Override
    public String toString() {
      return String.format("%-22s sent %6d  ok %6d  429 %5d  other %5d  failed %4d  wrong-tenant %d  "
          + "%7.1f req/s  p50 %7.2f ms  p99 %8.2f ms", stream, sent, ok, refused429, otherStatus, failed, wrongTenant,
          perSecond(), p50Millis, p99Millis);
    }
  }
}
