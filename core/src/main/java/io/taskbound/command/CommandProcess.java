package io.taskbound.command;

import io.taskbound.CommandResult;
import io.taskbound.JobContext;
import io.taskbound.job.UnrunnableJobException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One run of a command, on the job's thread: starts its process, streams its output into the job's
 * log, waits for it, and turns how it ended into the job's outcome. The thread only waits, so a lane
 * of virtual threads runs many commands at little cost.
 */
final class CommandProcess {

    /** How long output may still come after the command exited, or after it was killed. */
    private static final Duration OUTPUT_GRACE = Duration.ofSeconds(2);

    /** Rounds of killing descendants: a process may start another between a look and a kill. */
    private static final int KILL_ROUNDS = 5;

    private final CommandLine command;
    private final JobContext context;

    CommandProcess(CommandLine command, JobContext context) {
        this.command = command;
        this.context = context;
    }

    CommandResult run() {
        ProcessBuilder builder = new ProcessBuilder(command.command());
        if (command.directory() != null) {
            builder.directory(existingDirectory(command.directory()).toFile());
        }
        builder.environment().putAll(command.environment());
        long began = System.nanoTime();
        Process process = start(builder);
        try {
            return await(process, began);
        } finally {
            // Whatever ended the run here, the command does not outlive it.
            if (process.isAlive()) {
                killTree(process);
            }
        }
    }

    private CommandResult await(Process process, long began) {
        closeInput(process);
        CommandOutput output = new CommandOutput(context);
        String name = "taskbound-command-" + process.pid();
        List<Thread> readers = List.of(
                output.read(process.inputReader(), "", name + "-stdout"),
                output.read(process.errorReader(), CommandOutput.STDERR, name + "-stderr"));
        int exitCode;
        try {
            exitCode = process.waitFor();
        } catch (InterruptedException interrupted) {
            int killed = killTree(process);
            awaitOutput(readers, output);
            Thread.currentThread().interrupt();
            throw new CommandStoppedException(command, process.pid(), killed, interrupted);
        }
        Duration ran = Duration.ofNanos(System.nanoTime() - began);
        awaitOutput(readers, output);
        if (exitCode != 0) {
            throw new CommandFailedException(command, exitCode, ran, output.lastOfStdout(), output.lastOfStderr());
        }
        return new CommandResult(exitCode, ran.toMillis());
    }

    private Path existingDirectory(String directory) {
        Path path = Path.of(directory);
        if (!Files.isDirectory(path)) {
            throw new UnrunnableJobException("Command \"" + command.shown() + "\" cannot run in directory \""
                    + directory + "\": " + (Files.exists(path) ? "it is not a directory" : "it does not exist")
                    + " on this node; create it here, or enqueue the command again with another directory(...)");
        }
        return path;
    }

    // A program that is not there, or may not be run, will not be there at the next attempt either.
    private Process start(ProcessBuilder builder) {
        try {
            return builder.start();
        } catch (IOException e) {
            throw new UnrunnableJobException(
                    "Command \"" + command.shown() + "\" could not start: program \"" + command.program()
                            + "\" cannot be run on this node (" + e.getMessage() + "); install it, check it is"
                            + " executable and on the PATH of the application (PATH=" + System.getenv("PATH")
                            + "), or pass its absolute path",
                    e);
        }
    }

    // No input: a command that reads stdin sees its end at once rather than waiting for ever.
    private static void closeInput(Process process) {
        try {
            process.getOutputStream().close();
        } catch (IOException alreadyGone) {
            // The command exited already; its exit code tells the rest.
        }
    }

    /**
     * Kills the command and every process it started, at once, descendants first: once the command is
     * gone its children belong to init, and no one could find them to kill. Returns how many
     * descendants were killed.
     */
    static int killTree(Process process) {
        // A killed process stays among the descendants until its parent reaps it: look again only
        // for those not killed yet.
        Set<Long> killed = new HashSet<>();
        for (int round = 0; round < KILL_ROUNDS; round++) {
            List<ProcessHandle> found = process.descendants()
                    .filter(descendant -> !killed.contains(descendant.pid()))
                    .toList();
            if (found.isEmpty()) {
                break;
            }
            found.forEach(descendant -> {
                descendant.destroyForcibly();
                killed.add(descendant.pid());
            });
        }
        process.destroyForcibly();
        return killed.size();
    }

    // Output written just before the exit is still in the pipes; a process the command left running
    // in the background may hold them open for ever, so the wait is bounded.
    private static void awaitOutput(List<Thread> readers, CommandOutput output) {
        long deadline = System.nanoTime() + OUTPUT_GRACE.toNanos();
        try {
            for (Thread reader : readers) {
                long left = deadline - System.nanoTime();
                if (left > 0) {
                    reader.join(Duration.ofNanos(left));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            output.close();
        }
    }
}
