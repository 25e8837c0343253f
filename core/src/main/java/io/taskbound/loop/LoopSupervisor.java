package io.taskbound.loop;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts again any loop whose thread ended while it should run. A {@link Loop} survives any error
 * of its own iterations, so this is the last line: an error while handling an error, a thread that
 * could not be created. Until a dead loop runs again, health reports it by name.
 */
public final class LoopSupervisor extends Loop {

    private static final Logger log = LoggerFactory.getLogger(LoopSupervisor.class);

    private final Supplier<List<Loop>> loops;
    private final Duration interval;
    private final List<String> revived = new CopyOnWriteArrayList<>();

    public LoopSupervisor(Supplier<List<Loop>> loops, Duration interval) {
        super("taskbound-supervisor");
        this.loops = loops;
        this.interval = interval;
    }

    @Override
    protected Duration runOnce() {
        for (Loop loop : loops.get()) {
            if (loop.status().dead() && loop.revive()) {
                revived.add(loop.name());
                log.error("Loop {} had stopped (its thread ended); started it again", loop.name());
            }
        }
        return interval;
    }

    @Override
    protected Duration afterFailure() {
        return interval;
    }

    /** The names of the loops started again, one entry each time. */
    public List<String> revived() {
        return List.copyOf(revived);
    }
}
