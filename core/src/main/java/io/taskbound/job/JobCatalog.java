package io.taskbound.job;

import io.taskbound.UnknownJobException;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** The jobs this node can run, by name: what runs and schedules need of the registry. */
public interface JobCatalog {

    /**
     * The job registered under {@code name}.
     *
     * @throws UnknownJobException naming the jobs this node knows, if none is
     */
    JobDefinition byName(String name);

    /** The job registered under {@code name}, or null. */
    @Nullable
    JobDefinition find(String name);

    /** The names of every registered job, sorted. */
    Set<String> names();
}
