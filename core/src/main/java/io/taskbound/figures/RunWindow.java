package io.taskbound.figures;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The runs of the last minute, per lane and job name, made from the {@link RunTally}'s totals read
 * once per tick: each tick keeps only what grew since the one before, and the window is the sum of
 * the ticks of the last minute. A job name with no runs in a tick costs that tick nothing.
 */
final class RunWindow {

    /** How far back the figures look. */
    static final Duration LENGTH = Duration.ofMinutes(1);

    private final int ticks;
    private final Deque<Tick> recent = new ArrayDeque<>();
    private Map<Key, RunTally.Totals> last = new HashMap<>();

    RunWindow(Duration tick) {
        this.ticks = (int) Math.max(1, Math.ceilDiv(LENGTH.toNanos(), tick.toNanos()));
    }

    record Key(String lane, String name) {}

    /** What grew in one tick, or in the whole window. */
    record Growth(long succeeded, long failed, SortedMap<Integer, Long> waited, SortedMap<Integer, Long> ran) {

        static Growth none() {
            return new Growth(0, 0, new TreeMap<>(), new TreeMap<>());
        }

        Growth plus(Growth more) {
            SortedMap<Integer, Long> allWaited = new TreeMap<>(waited);
            SortedMap<Integer, Long> allRan = new TreeMap<>(ran);
            LatencyHistogram.add(allWaited, more.waited);
            LatencyHistogram.add(allRan, more.ran);
            return new Growth(succeeded + more.succeeded, failed + more.failed, allWaited, allRan);
        }

        boolean isEmpty() {
            return succeeded == 0 && failed == 0 && waited.isEmpty() && ran.isEmpty();
        }
    }

    private record Tick(Map<Key, Growth> grown) {}

    /** Ends a tick with the tally's {@code totals}; the oldest tick leaves the window. */
    void advance(List<RunTally.Totals> totals) {
        Map<Key, RunTally.Totals> current = new HashMap<>();
        Map<Key, Growth> grown = new HashMap<>();
        for (RunTally.Totals now : totals) {
            Key key = new Key(now.lane(), now.name());
            current.put(key, now);
            RunTally.Totals before = last.get(key);
            Growth growth = before == null
                    ? new Growth(
                            now.succeeded(),
                            now.failed(),
                            LatencyHistogram.growth(new long[now.waited().length], now.waited()),
                            LatencyHistogram.growth(new long[now.ran().length], now.ran()))
                    : new Growth(
                            now.succeeded() - before.succeeded(),
                            now.failed() - before.failed(),
                            LatencyHistogram.growth(before.waited(), now.waited()),
                            LatencyHistogram.growth(before.ran(), now.ran()));
            if (!growth.isEmpty()) {
                grown.put(key, growth);
            }
        }
        last = current;
        recent.addLast(new Tick(grown));
        while (recent.size() > ticks) {
            recent.removeFirst();
        }
    }

    /** The runs of the window, per lane and job name; job names without any are left out. */
    Map<Key, Growth> sum() {
        Map<Key, Growth> sum = new HashMap<>();
        recent.forEach(tick -> tick.grown().forEach((key, growth) -> sum.merge(key, growth, Growth::plus)));
        return sum;
    }
}
