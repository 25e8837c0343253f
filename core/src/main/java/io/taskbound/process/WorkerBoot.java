package io.taskbound.process;

import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How the worker JVMs of every process lane on a node make their jobs' objects: with {@code source}
 * (a {@link WorkerBeans.Source} with a public no-arg constructor, on the application's classpath)
 * opened with {@code settings}, or, for {@link #PLAIN}, with each job class's public no-arg
 * constructor.
 *
 * <p>The settings travel to the worker over its stdin, never on its command line, so that what
 * they hold (a database password among the application's properties) does not show in {@code ps}.
 */
public record WorkerBoot(@Nullable String source, Map<String, String> settings) {

    /** Job objects made by their classes' public no-arg constructors; nothing booted. */
    public static final WorkerBoot PLAIN = new WorkerBoot(null, Map.of());

    public WorkerBoot {
        settings = Map.copyOf(Objects.requireNonNull(settings, "settings"));
    }

    /** Boots the worker with {@code source}, given {@code settings}. */
    public static WorkerBoot of(Class<? extends WorkerBeans.Source> source, Map<String, String> settings) {
        return new WorkerBoot(source.getName(), settings);
    }

    WorkerProtocol.Start start() {
        return new WorkerProtocol.Start(source, settings);
    }
}
