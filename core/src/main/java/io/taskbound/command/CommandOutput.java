package io.taskbound.command;

import io.taskbound.JobContext;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayDeque;
import java.util.List;

/**
 * What a command writes, on both its streams: each line goes to the job's log as it comes, those of
 * stderr marked {@value #STDERR}, and the last lines of each stream are kept for the message of a
 * failure. Each stream is read to its end on a virtual thread of its own, whether anyone looks or
 * not: a command whose pipe fills up would block on its next write. The two streams are two pipes,
 * so how their lines interleave in the log is only roughly how they were written; the tails are
 * kept apart so that a command's last words on stderr are never pushed out by its stdout.
 */
final class CommandOutput {

    /** Marks a line of stderr, in the log and in a failure's last lines. */
    static final String STDERR = "stderr: ";

    /** Lines of each stream kept for a failure's message. */
    static final int TAIL_LINES = 20;

    /**
     * Lines of one run stored in the job's log: a command that writes millions would fill the log
     * table for nothing anyone reads; the last lines still show in a failure.
     */
    static final int MAX_LOGGED_LINES = 10_000;

    /** A line longer than this is logged in pieces, so that output without newlines stays bounded. */
    static final int MAX_LINE_CHARS = 8_192;

    private final JobContext context;
    private final ArrayDeque<String> stdoutTail = new ArrayDeque<>(TAIL_LINES);
    private final ArrayDeque<String> stderrTail = new ArrayDeque<>(TAIL_LINES);
    // Guarded by this.
    private int lines;
    private boolean closed;

    CommandOutput(JobContext context) {
        this.context = context;
    }

    /** Starts reading {@code stream} to its end, marking its lines with {@code mark}. */
    Thread read(Reader stream, String mark, String threadName) {
        return Thread.ofVirtual().name(threadName).start(() -> pump(stream, mark));
    }

    private void pump(Reader stream, String mark) {
        StringBuilder line = new StringBuilder();
        char[] buffer = new char[4096];
        try (stream) {
            int read;
            while ((read = stream.read(buffer)) != -1) {
                for (int i = 0; i < read; i++) {
                    char c = buffer[i];
                    if (c == '\n') {
                        add(mark, line);
                    } else if (line.length() == MAX_LINE_CHARS) {
                        add(mark, line);
                        line.append(c);
                    } else {
                        line.append(c);
                    }
                }
            }
        } catch (IOException closedUnderUs) {
            // The process is gone and its pipe with it: what was read is all there is.
        }
        if (!line.isEmpty()) {
            add(mark, line);
        }
    }

    private void add(String mark, StringBuilder text) {
        int end = text.length();
        if (end > 0 && text.charAt(end - 1) == '\r') {
            end--;
        }
        String line = text.substring(0, end);
        text.setLength(0);
        int count;
        synchronized (this) {
            if (closed) {
                return;
            }
            ArrayDeque<String> tail = mark.isEmpty() ? stdoutTail : stderrTail;
            if (tail.size() == TAIL_LINES) {
                tail.removeFirst();
            }
            tail.addLast(line);
            count = ++lines;
        }
        if (count <= MAX_LOGGED_LINES) {
            context.log(mark + line);
        } else if (count == MAX_LOGGED_LINES + 1) {
            context.log("(more output is not stored in the log: only " + MAX_LOGGED_LINES
                    + " lines of a run are; a failure still shows the last " + TAIL_LINES + ")");
        }
    }

    /** The last lines of stdout, at most {@value #TAIL_LINES}, oldest first. */
    synchronized List<String> lastOfStdout() {
        return List.copyOf(stdoutTail);
    }

    /** The last lines of stderr, at most {@value #TAIL_LINES}, oldest first, unmarked. */
    synchronized List<String> lastOfStderr() {
        return List.copyOf(stderrTail);
    }

    /** Lines read from now on are dropped: the run has ended, its log and its outcome are written. */
    synchronized void close() {
        closed = true;
    }
}
