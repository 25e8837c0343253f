package io.taskbound.autoconfigure;

import io.taskbound.engine.TaskboundEngine;

/** Changes the engine's builder before the engine is built, for what properties do not cover. */
@FunctionalInterface
public interface TaskboundEngineCustomizer {

    void customize(TaskboundEngine.Builder builder);
}
