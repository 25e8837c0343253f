package io.taskbound.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskbound.process.WorkerBeans;
import io.taskbound.process.WorkerBoot;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * The two halves of a Spring worker: what the node tells a worker JVM ({@link SpringWorkerBoot}),
 * and the context the worker boots from it ({@link SpringWorkerBeans}), here in one JVM. The sample
 * app's tests run a job with an injected service in a real worker JVM.
 */
class SpringWorkerTests {

    @SpringBootConfiguration
    static class Shop {

        static final AtomicInteger eagerStarts = new AtomicInteger();

        @Bean
        Greeter greeter(@Value("${shop.greeting}") String greeting, Environment environment) {
            return new Greeter(greeting, environment);
        }

        // A bean with a side effect at start-up that no job asks for: never made in a worker.
        @Bean
        Object startUpSideEffect() {
            eagerStarts.incrementAndGet();
            return new Object();
        }
    }

    record Greeter(String greeting, Environment environment) {}

    @Test
    void theNodeTellsItsWorkersItsApplicationProfilesAndThePropertiesNotReadFromItsFiles() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.setActiveProfiles("eu", "blue");
        environment
                .getPropertySources()
                .addFirst(new MapPropertySource(
                        "commandLineArgs",
                        Map.of("shop.region", "eu-west", "shop.url", "https://${shop.region}.example")));
        environment
                .getPropertySources()
                .addLast(new MapPropertySource(
                        "Config resource 'class path resource [application.properties]' via location 'optional:classpath:/'",
                        Map.of("shop.from-file", "read by the worker itself")));
        GenericApplicationContext context = new GenericApplicationContext();
        context.setEnvironment(environment);
        context.registerBean(Shop.class);
        context.refresh();

        WorkerBoot boot = SpringWorkerBoot.of(context, environment);

        assertThat(boot.source()).isEqualTo(SpringWorkerBeans.class.getName());
        assertThat(boot.settings())
                .containsEntry("application", Shop.class.getName())
                .containsEntry("profiles", "eu,blue")
                .containsEntry("property.shop.region", "eu-west")
                .containsEntry("property.shop.url", "https://eu-west.example")
                .doesNotContainKey("property.shop.from-file")
                .doesNotContainKey("property.java.version")
                .doesNotContainKey("property.user.dir");
        context.close();
    }

    @Test
    void aContextWithoutOneApplicationClassGivesWorkersThatUseNoArgConstructors() {
        GenericApplicationContext context = new GenericApplicationContext();
        context.refresh();

        assertThat(SpringWorkerBoot.of(context, new StandardEnvironment())).isEqualTo(WorkerBoot.PLAIN);
        context.close();
    }

    @Test
    void theWorkerBootsTheApplicationLazilyInWorkerModeWithTheNodesPropertiesAndProfiles() throws Exception {
        Map<String, String> settings = new HashMap<>();
        settings.put("application", Shop.class.getName());
        settings.put("profiles", "eu");
        settings.put("property.shop.greeting", "hello");
        // As a node started with --spring.main.lazy-initialization=false would pass it on.
        settings.put("property.spring.main.lazy-initialization", "false");
        Shop.eagerStarts.set(0);

        try (WorkerBeans beans = new SpringWorkerBeans().open(settings)) {
            Greeter greeter = (Greeter) beans.bean(Greeter.class);

            assertThat(greeter.greeting()).isEqualTo("hello");
            assertThat(greeter.environment().getActiveProfiles()).containsExactly("eu", SpringWorkerBeans.PROFILE);
            assertThat(greeter.environment().getProperty("taskbound.worker")).isEqualTo("true");
            assertThat(greeter.environment().getProperty("spring.flyway.enabled"))
                    .isEqualTo("false");
            assertThat(greeter.environment().getProperty("spring.jpa.hibernate.ddl-auto"))
                    .isEqualTo("none");
            assertThat(Shop.eagerStarts).hasValue(0);
            assertThat(beans.mapper()).isEmpty();
        }
    }
}
