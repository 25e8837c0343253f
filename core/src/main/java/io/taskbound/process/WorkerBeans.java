package io.taskbound.process;

import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.ObjectMapper;

/**
 * Where a worker JVM gets the objects its jobs run on, and the mapper their arguments and results
 * are read and written with.
 *
 * <p>Out of the box a job's object is made by its class's public no-arg constructor. The Spring
 * Boot starter boots the application's context in the worker instead (see {@code
 * io.taskbound.autoconfigure.SpringWorkerBeans}), so that a job's bean comes with its dependencies
 * and the application's own mapper. The application's side names the {@link Source} in {@link
 * WorkerBoot}; the worker makes it with its public no-arg constructor and opens it once, before it
 * says it is ready.
 */
public interface WorkerBeans extends AutoCloseable {

    /** The object to call a job's method on; asked once per class, and the answer kept. */
    Object bean(Class<?> type) throws Exception;

    /** The mapper the application's node uses for arguments and results; empty for the engine's default. */
    Optional<ObjectMapper> mapper();

    /** Called when the worker exits; a Spring context closes here. */
    @Override
    default void close() {}

    /** Opens the {@link WorkerBeans} of a worker JVM, from the settings the application sent it. */
    interface Source {
        WorkerBeans open(Map<String, String> settings) throws Exception;
    }
}
