package io.taskbound.test;

import io.taskbound.Jobs;
import io.taskbound.engine.TaskboundEngine;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Inline mode: the executor of every lane, and the {@link Jobs} that drains at enqueue. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = InlineConfiguration.INLINE)
class InlineConfiguration {

    /** Set by {@code @AutoConfigureTaskboundTest(inline = true)}. */
    static final String INLINE = "taskbound.test.inline";

    // Registered under its bean name, which every lane's settings name in inline mode.
    @Bean(InlineExecutor.NAME)
    InlineExecutor taskboundInlineExecutor() {
        return new InlineExecutor();
    }

    @Bean
    Jobs taskboundJobs(TaskboundEngine engine, TaskboundTester tester) {
        return new InlineJobs(engine.jobs(), tester);
    }
}
