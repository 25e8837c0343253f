package io.taskbound.autoconfigure;

import io.taskbound.process.WorkerBeans;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The application's Spring context, booted in a worker JVM of a process lane so that a job's bean
 * comes with its dependencies: same application class, profiles and properties as the node that
 * started the worker (see {@link SpringWorkerBoot}), in <em>worker mode</em>.
 *
 * <p>Worker mode is: no web server; lazy initialisation, so only the beans a job asks for, and
 * what they depend on, are made; the profile {@value #PROFILE} added and the property {@code
 * taskbound.worker=true} set, for code that must behave otherwise there; a Taskbound engine that is
 * not started (a job may still enqueue jobs through {@code Jobs}, but the worker runs only what
 * its lane hands it); and nothing that changes the database at start-up: no Flyway or Liquibase
 * run, no SQL init scripts, Hibernate's {@code ddl-auto} off. The worker opens its own connection
 * pool, lazily, of at most {@value #POOL_SIZE} connections unless the application's configuration
 * says otherwise.
 */
public final class SpringWorkerBeans implements WorkerBeans.Source {

    /** The profile active in every worker JVM, on top of the application's own. */
    public static final String PROFILE = "taskbound-worker";

    static final int POOL_SIZE = 2;

    @Override
    public WorkerBeans open(Map<String, String> settings) throws ClassNotFoundException {
        String applicationClass = settings.get(SpringWorkerBoot.APPLICATION);
        if (applicationClass == null) {
            throw new IllegalArgumentException(
                    "A Spring worker needs the application's class, setting " + SpringWorkerBoot.APPLICATION);
        }
        SpringApplication application =
                new SpringApplication(Class.forName(applicationClass, true, SpringWorkerBeans.class.getClassLoader()));
        application.setWebApplicationType(WebApplicationType.NONE);
        application.setLazyInitialization(true);
        application.setBannerMode(Banner.Mode.OFF);
        application.setLogStartupInfo(false);
        application.setEnvironment(environment(settings));
        application.setAdditionalProfiles(profiles(settings));
        return new Context(application.run());
    }

    // Worker mode above the application's properties, the application's properties above its files
    // (which the worker reads itself, with the worker profile's), a small pool below them all.
    private static StandardEnvironment environment(Map<String, String> settings) {
        Map<String, Object> properties = new LinkedHashMap<>();
        settings.forEach((key, value) -> {
            if (key.startsWith(SpringWorkerBoot.PROPERTY)) {
                properties.put(key.substring(SpringWorkerBoot.PROPERTY.length()), value);
            }
        });
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("taskboundWorkerMode", workerMode()));
        environment
                .getPropertySources()
                .addAfter("taskboundWorkerMode", new MapPropertySource("taskboundApplication", properties));
        environment
                .getPropertySources()
                .addLast(new MapPropertySource(
                        "taskboundWorkerDefaults",
                        Map.of("spring.datasource.hikari.maximum-pool-size", String.valueOf(POOL_SIZE))));
        return environment;
    }

    private static Map<String, Object> workerMode() {
        return Map.of(
                "taskbound.worker", "true",
                "taskbound.schema.migrate", "false",
                "spring.flyway.enabled", "false",
                "spring.liquibase.enabled", "false",
                "spring.sql.init.mode", "never",
                "spring.jpa.hibernate.ddl-auto", "none",
                // Bound to the application after it is set up: these must win over the node's values.
                "spring.main.web-application-type", "none",
                "spring.main.lazy-initialization", "true");
    }

    private static String[] profiles(Map<String, String> settings) {
        List<String> profiles = new ArrayList<>();
        String active = settings.getOrDefault(SpringWorkerBoot.PROFILES, "");
        if (!active.isBlank()) {
            profiles.addAll(Arrays.asList(active.split(",")));
        }
        profiles.add(PROFILE);
        return profiles.toArray(String[]::new);
    }

    private record Context(ConfigurableApplicationContext context) implements WorkerBeans {

        @Override
        public Object bean(Class<?> type) {
            return context.getBean(type);
        }

        @Override
        public Optional<ObjectMapper> mapper() {
            return Optional.ofNullable(context.getBeanProvider(JsonMapper.class).getIfAvailable());
        }

        @Override
        public void close() {
            context.close();
        }
    }
}
