package io.taskbound.figures;

import io.taskbound.LaneFigures;
import io.taskbound.LaneReport;
import io.taskbound.NodeInfo;
import io.taskbound.WorkFigures;
import io.taskbound.WorkerInfo;
import io.taskbound.store.FigureStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Adds up the figures the nodes published and the last queue count into the cluster's {@link
 * LaneReport}, and reads the nodes with their lanes.
 */
public final class FiguresReader {

    private final FigureStore store;
    private final FiguresCollector collector;
    private final Duration interval;

    /**
     * @param collector this node's collector, told of each read so that it keeps the queue counted
     * @param interval the figures interval: a queue count older than twice this is made again now
     */
    public FiguresReader(FigureStore store, FiguresCollector collector, Duration interval) {
        this.store = store;
        this.collector = collector;
        this.interval = interval;
    }

    /** The cluster's lanes; see {@link io.taskbound.JobQueries#lanes()}. */
    public LaneReport lanes() {
        collector.read();
        FigureStore.Snapshot snapshot = store.snapshot();
        if (stale(snapshot)) {
            // Nobody kept the count up (the first read after a quiet spell, or no node collecting):
            // count now. The statement itself lets one count through per interval, however many
            // readers come at once.
            if (store.countQueue(interval)) {
                snapshot = store.snapshot();
            }
        }
        Duration window = Duration.ZERO;
        Map<String, LaneSum> lanes = new TreeMap<>();
        for (FigureStore.NodeRow node : snapshot.nodes()) {
            NodeFigures figures = NodeFigures.fromJson(node.figures());
            if (figures == null) {
                continue;
            }
            Duration covered = covered(figures, snapshot.now());
            window = max(window, covered);
            double seconds = covered.toMillis() / 1000.0;
            figures.lanes()
                    .forEach(lane ->
                            lanes.computeIfAbsent(lane.lane(), LaneSum::new).add(node.id(), lane));
            figures.jobs()
                    .forEach(job -> lanes.computeIfAbsent(job.lane(), LaneSum::new)
                            .job(job.name())
                            .add(job, seconds));
        }
        for (QueueCount count : QueueCount.fromJson(snapshot.countsJson())) {
            lanes.computeIfAbsent(count.lane(), LaneSum::new).job(count.name()).add(count);
        }
        snapshot.pausedLanes().forEach(lane -> lanes.computeIfAbsent(lane, LaneSum::new).paused = true);
        List<LaneFigures> report = new ArrayList<>();
        lanes.values().forEach(lane -> report.add(lane.figures()));
        return new LaneReport(window.isZero() ? RunWindow.LENGTH : window, snapshot.countedAt(), report);
    }

    /** The registered nodes with the lanes each runs, by name. */
    public List<NodeInfo> nodes() {
        List<NodeInfo> nodes = new ArrayList<>();
        for (FigureStore.NodeRow node : store.nodes()) {
            NodeFigures figures = NodeFigures.fromJson(node.figures());
            List<NodeInfo.Lane> lanes = figures == null
                    ? List.of()
                    : figures.lanes().stream()
                            .map(lane -> new NodeInfo.Lane(lane.lane(), lane.running(), lane.held(), lane.capacity()))
                            .toList();
            nodes.add(new NodeInfo(
                    node.id(),
                    node.name(),
                    node.startedAt(),
                    node.heartbeatAge(),
                    figures == null ? null : figures.version(),
                    lanes));
        }
        return nodes;
    }

    private boolean stale(FigureStore.Snapshot snapshot) {
        return snapshot.countedAt() == null
                || Duration.between(snapshot.countedAt(), snapshot.now()).compareTo(interval.multipliedBy(2)) > 0;
    }

    /** How much time a node's run counts cover: the window's length, or less on a node that began counting since. */
    private static Duration covered(NodeFigures figures, java.time.Instant now) {
        Duration since = Duration.ofMillis(Math.max(1, now.toEpochMilli() - figures.countingSinceMillis()));
        return since.compareTo(RunWindow.LENGTH) < 0 ? since : RunWindow.LENGTH;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** One lane's figures being added up. */
    private static final class LaneSum {
        final String lane;
        final Map<String, WorkSum> jobs = new TreeMap<>();
        final Map<UUID, List<WorkerInfo>> workers = new TreeMap<>();
        boolean paused;
        int capacity;
        int running;
        int held;

        LaneSum(String lane) {
            this.lane = lane;
        }

        void add(UUID node, NodeFigures.Lane figures) {
            capacity += figures.capacity();
            running += figures.running();
            held += figures.held();
            if (!figures.workersOrNone().isEmpty()) {
                workers.put(node, figures.workersOrNone());
            }
        }

        WorkSum job(String name) {
            return jobs.computeIfAbsent(name, n -> new WorkSum());
        }

        LaneFigures figures() {
            WorkSum total = new WorkSum();
            Map<String, WorkFigures> byName = new TreeMap<>();
            jobs.forEach((name, job) -> {
                total.add(job);
                byName.put(name, job.figures());
            });
            // Running and held of the lane as its nodes counted them, which includes jobs whose
            // names a node had not published yet.
            total.running = running;
            total.held = held;
            return new LaneFigures(lane, paused, capacity, total.figures(), byName, workers);
        }
    }

    /** The work of one job name, or of a lane, being added up. */
    private static final class WorkSum {
        long queued;
        long scheduled;
        long retrying;
        int running;
        int held;
        long succeeded;
        long failed;
        double perSecond;
        final SortedMap<Integer, Long> waited = new TreeMap<>();
        final SortedMap<Integer, Long> ran = new TreeMap<>();

        void add(NodeFigures.Job job, double seconds) {
            running += job.running();
            held += job.held();
            succeeded += job.succeeded();
            failed += job.failed();
            perSecond += seconds > 0 ? (job.succeeded() + job.failed()) / seconds : 0;
            LatencyHistogram.add(waited, job.waited());
            LatencyHistogram.add(ran, job.ran());
        }

        void add(QueueCount count) {
            queued += count.due();
            scheduled += count.later();
            retrying += count.retrying();
        }

        void add(WorkSum job) {
            queued += job.queued;
            scheduled += job.scheduled;
            retrying += job.retrying;
            running += job.running;
            held += job.held;
            succeeded += job.succeeded;
            failed += job.failed;
            perSecond += job.perSecond;
            LatencyHistogram.add(waited, job.waited);
            LatencyHistogram.add(ran, job.ran);
        }

        WorkFigures figures() {
            return new WorkFigures(
                    queued,
                    scheduled,
                    retrying,
                    running,
                    held,
                    succeeded,
                    failed,
                    perSecond,
                    LatencyHistogram.percentile(waited, 0.50),
                    LatencyHistogram.percentile(waited, 0.95),
                    LatencyHistogram.percentile(ran, 0.50),
                    LatencyHistogram.percentile(ran, 0.95));
        }
    }
}
