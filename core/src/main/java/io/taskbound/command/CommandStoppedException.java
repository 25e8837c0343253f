package io.taskbound.command;

import io.taskbound.TaskboundException;

/**
 * A command whose run was interrupted (it timed out, was cancelled, or its node is stopping) and
 * that was killed with every process it started. The engine records the attempt as timed out or
 * cancelled from what interrupted it; this says what happened to the command.
 */
final class CommandStoppedException extends TaskboundException {

    CommandStoppedException(CommandLine command, long pid, int killed, InterruptedException cause) {
        super(
                "Command \"" + command.shown() + "\" (pid " + pid + ") was killed when its run was interrupted, with "
                        + (killed == 0 ? "no other process" : killed + (killed == 1 ? " process" : " processes"))
                        + " it had started",
                cause);
    }
}
