package io.taskbound.job;

import io.taskbound.UnknownJobException;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** The jobs this node can run, by name: what runs and schedules need of the registry. */
public interface JobCatalog {

    /** The tag of a job name that is not registered on this node; see {@link #tag}. */
    String OTHER = "other";

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

    /**
     * How metrics and observations tag job {@code name}: by its name if it is registered on this
     * node, else {@value #OTHER} (a job enqueued here for other nodes to run, a name from an older
     * deployment). Names come from the code, so the series stay as many as the jobs the code
     * declares, whatever names the store holds.
     */
    default String tag(String name) {
        return find(name) != null ? name : OTHER;
    }
}
