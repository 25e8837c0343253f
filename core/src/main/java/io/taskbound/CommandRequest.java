package io.taskbound;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * An external command about to be stored as a job, made by {@link Jobs#command}. Nothing is stored
 * until {@link #enqueue()}, {@link #in(Duration)} or {@link #at(Instant)}; every option is checked
 * when it is given, so bad input fails here, naming what was wrong, never as a dead job later.
 *
 * <p>The command, its directory and its environment are stored in the job's arguments <em>in clear
 * text</em>, readable by whoever reads the job store or the dashboard: pass no secret here. The
 * command inherits the environment of the node that runs it, so secrets belong there.
 *
 * <pre>{@code
 * JobHandle<CommandResult> backup = jobs.command("pg_dump", "--format=custom", "--file=/backups/app.dump", "app")
 *         .directory(Path.of("/backups"))
 *         .environment("PGHOST", "db.internal")
 *         .timeout(Duration.ofMinutes(30))
 *         .enqueue();
 * }</pre>
 */
public interface CommandRequest {

    /**
     * Runs the command in {@code directory}, an absolute path on the node that runs it, instead of
     * that node's working directory. A relative path is refused: it would be read against the working
     * directory of whichever node runs the job. A directory missing there fails the job at once,
     * without retries.
     */
    CommandRequest directory(Path directory);

    /**
     * Sets the variable {@code name} in the command's environment, over the environment it inherits
     * from the node that runs it. Stored in clear text with the job: pass no secret.
     */
    CommandRequest environment(String name, String value);

    /** Sets each of {@code variables} as {@link #environment(String, String)} does. */
    CommandRequest environment(Map<String, String> variables);

    /**
     * How long the command may run, the job's timeout; by default its lane's (none on the default
     * lanes). When it is up, the command and every process it started are killed and the attempt
     * counts as timed out.
     */
    CommandRequest timeout(Duration timeout);

    /**
     * Runs the command's job on this lane instead of the lane of {@link Bound#IO}. A lane of threads
     * fits best: the thread only waits for the command, which is a process of its own already.
     */
    CommandRequest lane(String lane);

    /** Attempts before the job is dead, first run included; by default its lane's. */
    CommandRequest maxAttempts(int maxAttempts);

    /** Claim priority within the lane: higher runs first among due jobs. */
    CommandRequest priority(int priority);

    /** Makes the enqueue idempotent, as {@link JobRequest#uniqueKey} does. */
    CommandRequest uniqueKey(String uniqueKey);

    /** Stores the command to run as soon as its lane has room. */
    JobHandle<CommandResult> enqueue();

    /** Stores the command to run once {@code delay} has passed. */
    JobHandle<CommandResult> in(Duration delay);

    /** Stores the command to run at or after {@code runAt}. */
    JobHandle<CommandResult> at(Instant runAt);
}
