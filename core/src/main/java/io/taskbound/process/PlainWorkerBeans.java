package io.taskbound.process;

import java.util.Optional;
import tools.jackson.databind.ObjectMapper;

/** Job objects made by their classes' public no-arg constructors: a worker with nothing booted. */
final class PlainWorkerBeans implements WorkerBeans {

    @Override
    public Object bean(Class<?> type) throws ReflectiveOperationException {
        try {
            return type.getConstructor().newInstance();
        } catch (NoSuchMethodException e) {
            throw new NoSuchMethodException("A worker JVM with nothing booted makes a job's object with its class's"
                    + " public no-arg constructor, and " + type.getName() + " has none; give it one, or run the"
                    + " application with the Spring Boot starter, whose workers make the job's bean with its"
                    + " dependencies");
        }
    }

    @Override
    public Optional<ObjectMapper> mapper() {
        return Optional.empty();
    }
}
