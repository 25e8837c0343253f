package io.taskbound;

import java.time.Duration;

/**
 * What an external command run as a job returned: its exit code, always 0 since any other code
 * fails the job, and how long it ran. The result of {@link Jobs#command}'s jobs.
 *
 * @param exitCode the command's exit code
 * @param durationMillis how long the command ran, from its start to its exit, in milliseconds
 */
public record CommandResult(int exitCode, long durationMillis) {

    /** {@link #durationMillis} as a {@link Duration}. */
    public Duration duration() {
        return Duration.ofMillis(durationMillis);
    }
}
