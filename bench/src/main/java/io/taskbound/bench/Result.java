package io.taskbound.bench;

import org.jspecify.annotations.Nullable;

/**
 * One figure of one run, as a worker prints it. {@code nodes} is set for the scale scenario (and
 * the nodes of a fault case), {@code fault} for the faults scenario: its case, such as {@code
 * kill-2-of-3}.
 */
public record Result(
        String scenario,
        String contender,
        String metric,
        double value,
        @Nullable Integer nodes,
        @Nullable String fault,
        String settings) {

    static final String PREFIX = "RESULT ";
}
