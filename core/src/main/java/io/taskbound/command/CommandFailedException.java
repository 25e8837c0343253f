package io.taskbound.command;

import io.taskbound.TaskboundException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * A command that exited with another code than 0: the attempt failed, and the job is retried as its
 * attempts allow, since a command may well do better next time (a server that was down, a lock that
 * was held). The message has the command, its code and the last lines of its stdout and its stderr.
 */
final class CommandFailedException extends TaskboundException {

    CommandFailedException(CommandLine command, int exitCode, Duration ran, List<String> stdout, List<String> stderr) {
        super("Command \"" + command.shown() + "\" exited with code " + exitCode + signal(exitCode) + " after "
                + seconds(ran)
                + (stdout.isEmpty() && stderr.isEmpty()
                        ? "; it wrote no output"
                        : tail("stdout", stdout) + tail("stderr", stderr)));
    }

    /**
     * A process killed by signal n reads as exit code 128 + n: the JDK reports it so, as shells do. A
     * command may exit with such a code itself, so the message says what it shows, not what it was.
     */
    static String signal(int exitCode) {
        if (exitCode <= 128 || exitCode > 128 + 64) {
            return "";
        }
        int signal = exitCode - 128;
        String name = switch (signal) {
            case 1 -> " (SIGHUP)";
            case 2 -> " (SIGINT)";
            case 6 -> " (SIGABRT)";
            case 9 -> " (SIGKILL)";
            case 11 -> " (SIGSEGV)";
            case 15 -> " (SIGTERM)";
            default -> "";
        };
        return ", which is how a kill by signal " + signal + name + " shows";
    }

    static String seconds(Duration ran) {
        return String.format(Locale.ROOT, "%.1f s", ran.toMillis() / 1000.0);
    }

    private static String tail(String stream, List<String> lastLines) {
        if (lastLines.isEmpty()) {
            return "";
        }
        String lines = lastLines.size() == 1 ? "line" : lastLines.size() + " lines";
        return "\n-- its last " + lines + " of " + stream + ":\n" + String.join("\n", lastLines);
    }
}
