package io.taskbound.bench.api;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The api scenario's web application: nothing but what a user's application gets from the
 * Taskbound starter and Spring MVC (the engine, the {@code Jobs} API, the dashboard's REST API).
 * It lives in a package of its own so that its component scan finds nothing of the bench.
 */
@SpringBootApplication
public class ApiApplication {}
