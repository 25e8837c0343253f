package io.taskbound.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskbound.JobEvent;
import io.taskbound.JobListener;
import io.taskbound.Jobs;
import io.taskbound.autoconfigure.app.ShopApplication;
import io.taskbound.engine.TaskboundEngine;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class TaskboundJobEventsAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner =
            ShopContexts.onDatabase(ShopContexts.shopApplication(), ShopContexts.freshDatabaseUrl());

    @Test
    void jobListenerBeansAreToldAboutJobsAfterCommitOnTheEventsThread() {
        contextRunner.withUserConfiguration(AuditConfiguration.class).run(context -> {
            assertThat(context).hasNotFailed();
            AuditTrail audit = context.getBean(AuditTrail.class);

            context.getBean(ShopApplication.Shop.class).order(7L, "book", false);

            await().atMost(Duration.ofSeconds(20))
                    .until(() -> audit.events.stream().anyMatch(event -> event.kind() == JobEvent.Kind.SUCCEEDED));
            assertThat(audit.events)
                    .extracting(JobEvent::kind)
                    .containsExactly(JobEvent.Kind.ENQUEUED, JobEvent.Kind.STARTED, JobEvent.Kind.SUCCEEDED);
            assertThat(audit.events).extracting(JobEvent::name).containsOnly("mailer.confirm");
            assertThat(audit.threads).containsOnly("taskbound-events");
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(new TaskboundHealthIndicator(context.getBean(TaskboundEngine.class))
                                    .health(true)
                                    .getDetails()
                                    .get("events"))
                            .isEqualTo(Map.of("queued", 0, "delivered", 3L, "dropped", 0L, "listenerFailures", 0L)));
        });
    }

    @Test
    void anOrderThatRollsBackTellsTheListenersNothing() {
        contextRunner.withUserConfiguration(AuditConfiguration.class).run(context -> {
            ShopApplication.Shop shop = context.getBean(ShopApplication.Shop.class);
            AuditTrail audit = context.getBean(AuditTrail.class);
            try {
                shop.order(8L, "book", true);
            } catch (IllegalStateException expected) {
                // Payment declined: the order and its job roll back.
            }
            shop.order(9L, "pen", false);

            await().atMost(Duration.ofSeconds(20))
                    .until(() -> audit.events.stream().anyMatch(event -> event.kind() == JobEvent.Kind.SUCCEEDED));
            assertThat(audit.events)
                    .as("only the committed order's job")
                    .extracting(JobEvent::jobId)
                    .containsOnly(audit.events.getFirst().jobId());
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class AuditConfiguration {
        @Bean
        AuditTrail auditTrail(Jobs jobs) {
            return new AuditTrail(jobs);
        }
    }

    /** A listener that depends on Jobs, as one that enqueues follow-up work would. */
    static class AuditTrail implements JobListener {
        final List<JobEvent> events = new CopyOnWriteArrayList<>();
        final List<String> threads = new CopyOnWriteArrayList<>();
        final Jobs jobs;

        AuditTrail(Jobs jobs) {
            this.jobs = jobs;
        }

        @Override
        public void onEvent(JobEvent event) {
            threads.add(Thread.currentThread().getName());
            events.add(event);
        }
    }
}
