package io.taskbound.trace;

import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A W3C Trace Context {@code traceparent} header: the trace and span that enqueued a job, and
 * whether that trace was sampled. Read only to link a run's span to its enqueue, which needs the
 * ids rather than the propagator's parent.
 */
public record Traceparent(String traceId, String spanId, boolean sampled) {

    /** The header's name. */
    public static final String HEADER = "traceparent";

    // version "-" trace-id "-" parent-id "-" trace-flags; version ff is invalid, later versions
    // may append fields after the four this one reads.
    private static final Pattern FORMAT =
            Pattern.compile("(?!ff)[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?");
    private static final String INVALID_TRACE = "0".repeat(32);
    private static final String INVALID_SPAN = "0".repeat(16);

    /** The header's ids, or null when it is absent or not a valid {@code traceparent}. */
    public static @Nullable Traceparent parse(@Nullable String header) {
        if (header == null) {
            return null;
        }
        var matcher = FORMAT.matcher(header.trim());
        if (!matcher.matches()) {
            return null;
        }
        String traceId = matcher.group(1);
        String spanId = matcher.group(2);
        if (traceId.equals(INVALID_TRACE) || spanId.equals(INVALID_SPAN)) {
            return null;
        }
        boolean sampled = (Integer.parseInt(matcher.group(3), 16) & 1) == 1;
        return new Traceparent(traceId, spanId, sampled);
    }
}
