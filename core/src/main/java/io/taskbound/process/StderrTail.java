package io.taskbound.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's stderr, read to its end on a thread of its own: a worker whose stderr pipe fills up
 * would block on its next line, so it is drained whether anyone looks or not. Each line goes to the
 * debug log, and the last ones are kept to say how a worker that died ended.
 */
final class StderrTail {

    static final int KEPT_LINES = 50;

    private static final Logger log = LoggerFactory.getLogger("io.taskbound.process.worker");

    private final ArrayDeque<String> lines = new ArrayDeque<>(KEPT_LINES);
    private final Thread reader;

    StderrTail(InputStream stderr, String workerName) {
        this.reader = Thread.ofVirtual().name(workerName + "-stderr").start(() -> drain(stderr, workerName));
    }

    private void drain(InputStream stderr, String workerName) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(stderr, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                log.debug("{}: {}", workerName, line);
                synchronized (lines) {
                    if (lines.size() == KEPT_LINES) {
                        lines.removeFirst();
                    }
                    lines.addLast(line);
                }
            }
        } catch (IOException closed) {
            // The worker is gone and its pipe with it: what was read is all there is.
        }
    }

    /** Waits up to {@code timeout} for the worker's stderr to end, so that its last lines are in. */
    void awaitEnd(Duration timeout) throws InterruptedException {
        reader.join(timeout);
    }

    /** The last lines, oldest first: at most {@value #KEPT_LINES}, or {@code count} if fewer. */
    List<String> last(int count) {
        synchronized (lines) {
            List<String> all = List.copyOf(lines);
            return all.subList(Math.max(0, all.size() - count), all.size());
        }
    }
}
