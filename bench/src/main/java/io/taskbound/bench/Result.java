package io.taskbound.bench;

import org.jspecify.annotations.Nullable;

/**
 * One figure of one run, as a worker prints it. {@code nodes} is set for the scale scenario.
 */
public record Result(
        String scenario,
        String contender,
        String metric,
        double value,
        @Nullable Integer nodes,
        String settings) {

    static final String PREFIX = "RESULT ";
}
