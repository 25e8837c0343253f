package io.taskbound.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The client of the application's web endpoint in the process-lane scenarios: a request every
 * {@link #INTERVAL}, sent asynchronously on a fixed schedule, so that a slow answer does not delay
 * the requests after it (a client that waits for each answer before the next request would send
 * fewer requests exactly when the application is slow, and hide it). Each request is kept with the
 * wall-clock time it was sent, so figures can be taken over any window of a run.
 */
final class WebProbe implements AutoCloseable {

    static final Duration INTERVAL = Duration.ofMillis(10);

    /** A request not answered within this counts as an error. */
    static final Duration TIMEOUT = Duration.ofSeconds(2);

    /** One request: when it was sent (epoch ms), how long it took, and whether it got a 200. */
    record Sample(long sentAtMillis, double latencyMillis, boolean ok) {}

    /** Figures over a window: requests sent in it, those that failed, and the p99 of the answered ones (ms). */
    record Window(int requests, int errors, double p99Millis, long lastOkMillis) {}

    private final ExecutorService callbacks = Executors.newFixedThreadPool(
            4, Thread.ofPlatform().name("bench-web-", 1).daemon().factory());
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT)
            .executor(callbacks)
            .build();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("bench-web-ticker").daemon().factory());
    private final List<Sample> samples = new ArrayList<>();
    private final HttpRequest request;

    WebProbe(int port) {
        request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hello"))
                .timeout(TIMEOUT)
                .GET()
                .build();
        ticker.scheduleAtFixedRate(this::send, 0, INTERVAL.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void send() {
        long sentAt = System.currentTimeMillis();
        long start = System.nanoTime();
        try {
            client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).whenComplete((response, error) -> {
                double latency = (System.nanoTime() - start) / 1e6;
                boolean ok = error == null && response.statusCode() == 200;
                add(new Sample(sentAt, latency, ok));
            });
        } catch (RuntimeException e) {
            add(new Sample(sentAt, (System.nanoTime() - start) / 1e6, false));
        }
    }

    private void add(Sample sample) {
        synchronized (samples) {
            samples.add(sample);
        }
    }

    /**
     * The requests sent from {@code fromMillis} (inclusive) to {@code toMillis} (exclusive); waits
     * until those still in flight have been answered or timed out.
     */
    Window window(long fromMillis, long toMillis) throws InterruptedException {
        long settled = toMillis + TIMEOUT.toMillis() + 500;
        while (System.currentTimeMillis() < settled) {
            Thread.sleep(50);
        }
        List<Sample> inWindow;
        synchronized (samples) {
            inWindow = samples.stream()
                    .filter(s -> s.sentAtMillis() >= fromMillis && s.sentAtMillis() < toMillis)
                    .toList();
        }
        double[] answered = inWindow.stream()
                .filter(Sample::ok)
                .mapToDouble(Sample::latencyMillis)
                .toArray();
        int errors = (int) inWindow.stream().filter(s -> !s.ok()).count();
        long lastOk = inWindow.stream()
                .filter(Sample::ok)
                .mapToLong(Sample::sentAtMillis)
                .max()
                .orElse(0);
        double p99 = answered.length == 0 ? Double.NaN : Worker.percentile(answered, 99);
        return new Window(inWindow.size(), errors, p99, lastOk);
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        client.shutdownNow();
        callbacks.shutdownNow();
    }
}
