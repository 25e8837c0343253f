package io.taskbound.engine;

import io.taskbound.CommandRequest;
import io.taskbound.CommandResult;
import io.taskbound.JobHandle;
import io.taskbound.command.CommandLine;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A command about to be stored: a {@link DefaultJobRequest} of the built-in command job, whose one
 * argument, the {@link CommandLine}, is encoded when the request is stored. Each option is checked
 * as it is given, by the command line or the job request, so nothing bad is ever stored.
 */
final class DefaultCommandRequest implements CommandRequest {

    private final DefaultJobRequest<CommandResult> job;
    private final Function<CommandLine, String> encoder;
    private CommandLine command;

    DefaultCommandRequest(
            DefaultJobRequest<CommandResult> job, CommandLine command, Function<CommandLine, String> encoder) {
        this.job = job;
        this.command = command;
        this.encoder = encoder;
    }

    @Override
    public CommandRequest directory(Path directory) {
        if (directory == null) {
            throw new IllegalArgumentException("The directory of command \"" + command.shown()
                    + "\" is null: pass an absolute path, or leave it out for the node's working directory");
        }
        command = command.inDirectory(directory.toString());
        return this;
    }

    @Override
    public CommandRequest environment(String name, String value) {
        // A one-entry map would refuse a null name or value before the command line could say which.
        HashMap<String, String> variable = new HashMap<>();
        variable.put(name, value);
        command = command.withEnvironment(variable);
        return this;
    }

    @Override
    public CommandRequest environment(Map<String, String> variables) {
        command = command.withEnvironment(variables);
        return this;
    }

    @Override
    public CommandRequest timeout(Duration timeout) {
        if (timeout == null) {
            throw new IllegalArgumentException("The timeout of command \"" + command.shown()
                    + "\" is null: pass a positive duration, or leave it out for its lane's");
        }
        job.timeout(timeout);
        return this;
    }

    @Override
    public CommandRequest lane(String lane) {
        job.lane(lane);
        return this;
    }

    @Override
    public CommandRequest maxAttempts(int maxAttempts) {
        job.maxAttempts(maxAttempts);
        return this;
    }

    @Override
    public CommandRequest priority(int priority) {
        job.priority(priority);
        return this;
    }

    @Override
    public CommandRequest uniqueKey(String uniqueKey) {
        job.uniqueKey(uniqueKey);
        return this;
    }

    @Override
    public JobHandle<CommandResult> enqueue() {
        return encoded().enqueue();
    }

    @Override
    public JobHandle<CommandResult> in(Duration delay) {
        return encoded().in(delay);
    }

    @Override
    public JobHandle<CommandResult> at(Instant runAt) {
        return encoded().at(runAt);
    }

    private DefaultJobRequest<CommandResult> encoded() {
        job.argumentsJson(encoder.apply(command));
        return job;
    }
}
