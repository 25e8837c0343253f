package io.taskbound.command;

import io.taskbound.Bound;
import io.taskbound.CommandResult;
import io.taskbound.Job;
import io.taskbound.JobContext;

/**
 * The built-in job that runs external commands, registered on every engine under {@value #NAME}:
 * what {@code jobs.command(...)} enqueues. Its one argument is the {@link CommandLine}.
 *
 * <p>It is bound {@link Bound#IO}, so its jobs run on the {@code io} lane by default: the job's
 * thread only waits for the command, which is a process of its own already, so a virtual thread is
 * all it needs, and a thousand commands may wait at once. A {@code process} lane would spend a whole
 * worker JVM on that wait (it works there too: the worker makes this class with its no-arg
 * constructor, and a kill of the worker takes the command with it).
 *
 * <p>Its jobs are enqueued only through {@code jobs.command(...)}, never by name: the by-name path is
 * how tools start jobs from what a person typed (the dashboard), and a command from there would run
 * anything on every node.
 */
public final class CommandJob {

    /** The job's name in the store. */
    public static final String NAME = "taskbound.command";

    @Job(name = NAME, bound = Bound.IO)
    public CommandResult run(CommandLine command, JobContext context) {
        return new CommandProcess(command, context).run();
    }
}
