package io.taskbound.trace;

import org.jspecify.annotations.Nullable;

/**
 * A W3C Trace Context {@code traceparent} header: the trace and span that enqueued a job, and
 * whether that trace was sampled. Read only to link a run's span to its enqueue, which needs the
 * ids rather than the propagator's parent.
 */
record Traceparent(String traceId, String spanId, boolean sampled) {

    /** The header's name. */
    public static final String HEADER = "traceparent";

    private static final String INVALID_TRACE = "0".repeat(32);
    private static final String INVALID_SPAN = "0".repeat(16);

    /**
     * The header's ids, or null when it is absent or not a valid {@code traceparent}: version "-"
     * trace-id "-" parent-id "-" trace-flags, in lower-case hex; version {@code ff} is invalid, version
     * {@code 00} has these four fields only, and later versions may append fields after them. Read by hand: it is read at every run.
     */
    public static @Nullable Traceparent parse(@Nullable String header) {
        if (header == null) {
            return null;
        }
        String value = header.trim();
        if (value.length() < 55
                || (value.length() > 55 && (value.startsWith("00") || value.charAt(55) != '-'))
                || value.charAt(2) != '-'
                || value.charAt(35) != '-'
                || value.charAt(52) != '-'
                || !hex(value, 0, 2)
                || value.startsWith("ff")
                || !hex(value, 3, 35)
                || !hex(value, 36, 52)
                || !hex(value, 53, 55)) {
            return null;
        }
        String traceId = value.substring(3, 35);
        String spanId = value.substring(36, 52);
        if (traceId.equals(INVALID_TRACE) || spanId.equals(INVALID_SPAN)) {
            return null;
        }
        boolean sampled = (Character.digit(value.charAt(54), 16) & 1) == 1;
        return new Traceparent(traceId, spanId, sampled);
    }

    private static boolean hex(String value, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = value.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }
}
