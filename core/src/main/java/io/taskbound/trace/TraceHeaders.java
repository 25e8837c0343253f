package io.taskbound.trace;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The trace headers stored with a job, in its {@code trace_context} column: what the application's
 * propagator wrote when the job was enqueued (with W3C Trace Context, {@code traceparent}, and
 * {@code tracestate} and {@code baggage} when there are any), one {@code name: value} per line, the
 * way they would travel in an HTTP request. Header values hold no line breaks, so a line is one
 * header; a value may hold colons, so only the first one separates.
 */
final class TraceHeaders {

    private TraceHeaders() {}

    /** The stored text of {@code headers}, or null when there are none. */
    public static @Nullable String encode(Map<String, String> headers) {
        if (headers.isEmpty()) {
            return null;
        }
        StringBuilder text = new StringBuilder(80 * headers.size());
        headers.forEach((name, value) -> {
            if (!text.isEmpty()) {
                text.append('\n');
            }
            text.append(name).append(": ").append(value.replace('\n', ' ').replace('\r', ' '));
        });
        return text.toString();
    }

    /**
     * The headers in {@code stored}, not to be changed; none when it is null. Lines that are not
     * headers are skipped.
     */
    public static Map<String, String> decode(@Nullable String stored) {
        if (stored == null) {
            return Map.of();
        }
        Map<String, String> headers = new LinkedHashMap<>(4);
        int start = 0;
        while (start < stored.length()) {
            int end = stored.indexOf('\n', start);
            if (end < 0) {
                end = stored.length();
            }
            int colon = stored.indexOf(':', start);
            if (colon > start && colon < end) {
                headers.put(
                        stored.substring(start, colon).trim(),
                        stored.substring(colon + 1, end).trim());
            }
            start = end + 1;
        }
        return headers;
    }
}
