package io.taskbound.dashboard;

import io.taskbound.BoundAdvice;
import io.taskbound.JobEvent;
import io.taskbound.JobListener;
import io.taskbound.Jobs;
import io.taskbound.LaneAdvice;
import io.taskbound.LaneReport;
import io.taskbound.NodeInfo;
import io.taskbound.WorkFigures;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * What the live views show, read once for every open tab. While someone watches (an open event
 * stream, or a read of the overview in the last two minutes), a snapshot of the lanes, the counts
 * and the nodes is taken each refresh and kept in a series of the last half hour; this node's job
 * events are passed on to the streams in batches. However many tabs are open, the database sees one
 * snapshot per refresh, and none while nobody watches.
 */
final class DashboardFeed implements JobListener, SmartLifecycle {

    /** How long a read of the overview keeps the snapshots coming without an open stream. */
    static final Duration WATCHED_FOR = Duration.ofMinutes(2);

    /**
     * The shortest refresh, whatever the figures interval: a snapshot costs up to five statements
     * (lane figures, counts and their estimates, nodes, the queue's count), and the live views must
     * stay under two a second.
     */
    static final Duration MIN_REFRESH = Duration.ofSeconds(5);

    /** Job events are sent this often, in one batch per stream. */
    static final Duration EVENT_FLUSH = Duration.ofMillis(500);

    /** The most job events of one batch; the rest are counted as dropped (a view then reloads). */
    static final int EVENT_BATCH = 200;

    /** The most open streams: each holds a connection of the server. */
    static final int MAX_STREAMS = 100;

    /** A stream ends after this; the browser's {@code EventSource} opens a new one. */
    static final Duration STREAM_TIMEOUT = Duration.ofMinutes(10);

    private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
    private static final Duration SERIES_SPAN = Duration.ofMinutes(30);
    private static final Logger log = LoggerFactory.getLogger(DashboardFeed.class);

    private final Jobs jobs;
    private final LaneViews views;
    private final Duration refresh;
    private final List<FeedStream> streams = new CopyOnWriteArrayList<>();
    private final ArrayDeque<Point> series = new ArrayDeque<>();
    private final Queue<JobChange> changes = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicInteger dropped = new AtomicInteger();
    private volatile @Nullable Overview latest;
    private volatile long latestAtNanos;
    private volatile long lastReadNanos = System.nanoTime() - WATCHED_FOR.toNanos();
    private volatile long lastSentNanos = System.nanoTime();
    private volatile long failedAtNanos;
    private volatile @Nullable ScheduledExecutorService timer;

    DashboardFeed(Jobs jobs, LaneViews views, Duration figuresInterval) {
        this.jobs = jobs;
        this.views = views;
        this.refresh = figuresInterval.compareTo(MIN_REFRESH) < 0 ? MIN_REFRESH : figuresInterval;
    }

    /**
     * The overview page in one read: lanes, counts per state and lane, nodes, the newest point of
     * the series, what this node's bound advisor observed of each job name, and the lanes it finds
     * held back by their concurrency.
     */
    record Overview(
            Instant at,
            Duration refresh,
            LaneViews.Lanes lanes,
            LaneViews.Stats stats,
            List<NodeInfo> nodes,
            Point point,
            List<BoundAdvice> advice,
            List<LaneAdvice> laneAdvice) {}

    /** One snapshot's figures per lane, for the charts. */
    record Point(Instant at, Map<String, LanePoint> lanes) {}

    /**
     * @param waitP95Millis the 95th percentile wait of the window, in milliseconds; null without runs
     * @param runP95Millis the 95th percentile run time of the window, in milliseconds; null without runs
     */
    record LanePoint(
            double perSecond,
            long queued,
            int running,
            @Nullable Double waitP95Millis,
            @Nullable Double runP95Millis) {}

    /** The snapshots taken while someone watched, oldest first, one per {@code step} (with gaps where nobody did). */
    record Series(Duration step, List<Point> points) {}

    /** A job event as the streams carry it. */
    record JobChange(
            JobEvent.Kind kind,
            UUID jobId,
            String name,
            String lane,
            int attempt,
            Instant at,
            @Nullable String error) {}

    /** One batch of job events; {@code dropped} were left out, too many to send. */
    record JobChanges(List<JobChange> changes, int dropped) {}

    Duration refresh() {
        return refresh;
    }

    /**
     * The latest snapshot, taken now if it is older than a refresh; keeps the snapshots coming for a
     * while. While the store cannot be read, the last snapshot there was, rather than an error.
     */
    Overview overview() {
        lastReadNanos = System.nanoTime();
        return current();
    }

    private Overview current() {
        Overview current = latest;
        if (current != null && (fresh() || failedRecently())) {
            return current;
        }
        try {
            return snapshot();
        } catch (RuntimeException e) {
            failedAtNanos = System.nanoTime();
            if (latest == null) {
                throw e;
            }
            log.debug("Dashboard snapshot failed; the views show the last one meanwhile", e);
            return latest;
        }
    }

    Series series() {
        synchronized (series) {
            return new Series(refresh, List.copyOf(series));
        }
    }

    /**
     * A new stream: it gets the series and the overview at once, then each new overview and batches
     * of job events.
     *
     * @throws ApiException 503 if {@value #MAX_STREAMS} streams are open already, or the node is stopping
     */
    SseEmitter subscribe() {
        Overview overview = overview();
        FeedStream stream = new FeedStream(new SseEmitter(STREAM_TIMEOUT.toMillis()), streams::remove);
        synchronized (streams) {
            if (timer == null) {
                throw ApiException.unavailable("This node is stopping: its dashboard streams are closed");
            }
            if (streams.size() >= MAX_STREAMS) {
                throw ApiException.unavailable("This node has " + MAX_STREAMS + " dashboard event streams open"
                        + " already: close some dashboard tabs, or set the refresh rate to 2 s or 10 s, which"
                        + " polls instead");
            }
            streams.add(stream);
        }
        stream.send("series", json(series()));
        stream.send("overview", json(overview));
        stream.start();
        return stream.emitter();
    }

    int streams() {
        return streams.size();
    }

    @Override
    public void onEvent(JobEvent event) {
        if (streams.isEmpty()) {
            return;
        }
        if (queued.incrementAndGet() > EVENT_BATCH * 5) {
            queued.decrementAndGet();
            dropped.incrementAndGet();
            return;
        }
        changes.add(new JobChange(
                event.kind(), event.jobId(), event.name(), event.lane(), event.attempt(), event.at(), event.error()));
    }

    private boolean fresh() {
        return System.nanoTime() - latestAtNanos < refresh.toNanos();
    }

    /** Whether a snapshot failed within the last refresh: the next is tried after that, not by every reader. */
    private boolean failedRecently() {
        return failedAtNanos != 0 && System.nanoTime() - failedAtNanos < refresh.toNanos();
    }

    private boolean watched() {
        return !streams.isEmpty() || System.nanoTime() - lastReadNanos < WATCHED_FOR.toNanos();
    }

    /** Takes a snapshot, unless another thread took one while this one waited. */
    private synchronized Overview snapshot() {
        Overview current = latest;
        if (current != null && fresh()) {
            return current;
        }
        LaneReport report = jobs.queries().lanes();
        LaneViews.Lanes lanes = views.lanes(report);
        Point point = point(lanes);
        Overview overview = new Overview(
                point.at(),
                refresh,
                lanes,
                views.stats(report),
                jobs.queries().nodes(),
                point,
                jobs.advisor().observations(),
                jobs.advisor().lanes());
        synchronized (series) {
            series.addLast(point);
            while (series.size() > SERIES_SPAN.dividedBy(refresh)) {
                series.removeFirst();
            }
        }
        latest = overview;
        latestAtNanos = System.nanoTime();
        return overview;
    }

    private static Point point(LaneViews.Lanes lanes) {
        Map<String, LanePoint> points = new LinkedHashMap<>();
        for (LaneViews.Lane lane : lanes.lanes()) {
            WorkFigures total = lane.total();
            points.put(
                    lane.lane(),
                    new LanePoint(
                            total.perSecond(),
                            total.queued(),
                            total.running(),
                            millis(total.waitP95()),
                            millis(total.runP95())));
        }
        return new Point(Instant.now(), points);
    }

    private static @Nullable Double millis(@Nullable Duration duration) {
        return duration == null ? null : duration.toNanos() / 1e6;
    }

    private void tick() {
        try {
            if (watched()) {
                Overview overview = current();
                if (!streams.isEmpty()) {
                    sendAll("overview", overview);
                }
            }
        } catch (RuntimeException e) {
            // A scheduled task that throws is never run again: this one must live as long as the node.
            log.warn("Dashboard snapshot failed; the next refresh tries again", e);
        }
    }

    private void flush() {
        try {
            List<JobChange> batch = new ArrayList<>();
            JobChange change;
            while ((change = changes.poll()) != null) {
                queued.decrementAndGet();
                batch.add(change);
            }
            int lost = dropped.getAndSet(0);
            if (batch.size() > EVENT_BATCH) {
                lost += batch.size() - EVENT_BATCH;
                batch = batch.subList(batch.size() - EVENT_BATCH, batch.size());
            }
            if (!batch.isEmpty() || lost > 0) {
                sendAll("jobs", new JobChanges(batch, lost));
            } else if (System.nanoTime() - lastSentNanos > KEEP_ALIVE.toNanos()) {
                streams.forEach(FeedStream::keepAlive);
                lastSentNanos = System.nanoTime();
            }
        } catch (RuntimeException e) {
            log.warn("Dashboard job events could not be sent; the next batch tries again", e);
        }
    }

    /** Queues one event on every stream, its JSON written once for all. */
    private void sendAll(String name, Object data) {
        String json = json(data);
        streams.forEach(stream -> stream.send(name, json));
        lastSentNanos = System.nanoTime();
    }

    private static String json(Object data) {
        return new String(DashboardJson.bytes(data), StandardCharsets.UTF_8);
    }

    @Override
    public void start() {
        ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("taskbound-dashboard").daemon(true).factory());
        started.scheduleWithFixedDelay(this::tick, refresh.toMillis(), refresh.toMillis(), TimeUnit.MILLISECONDS);
        started.scheduleWithFixedDelay(
                this::flush, EVENT_FLUSH.toMillis(), EVENT_FLUSH.toMillis(), TimeUnit.MILLISECONDS);
        timer = started;
    }

    /** Ends every stream first, so that the server's graceful shutdown does not wait for open tabs. */
    @Override
    public void stop() {
        ScheduledExecutorService running;
        synchronized (streams) {
            running = timer;
            timer = null;
        }
        if (running != null) {
            running.shutdownNow();
        }
        streams.forEach(FeedStream::complete);
        streams.clear();
    }

    @Override
    public boolean isRunning() {
        return timer != null;
    }
}
