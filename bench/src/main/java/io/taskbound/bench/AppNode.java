package io.taskbound.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

/**
 * The application JVM of the process-lane scenarios, started by the orchestrator from a plain
 * classpath (a worker JVM of Taskbound's process executor starts on its application's classpath,
 * which must be one the JVM can load from, not an executable Spring Boot jar).
 *
 * <p>{@code app serve <contender> <executor> <eager> <url> <port>}: an application as a user would have one,
 * with a web endpoint and the contender's job system, that runs jobs until the orchestrator kills
 * it (or a job does). {@code app overhead <quick> <url>}: the process-overhead measurements, which
 * print their {@code RESULT} lines and exit. {@code app advisor <subject> <declaration> <runs> <url>}:
 * one case of the advisor scenario ({@link AdvisorCase}), which prints its {@code ADVICE} line and
 * exits.
 */
public final class AppNode {

    /** Threads of the web endpoint: a small pool, like a modest servlet container's. */
    private static final int WEB_THREADS = 4;

    private AppNode() {}

    public static void main(String[] args) throws Exception {
        // No application outlives the bench that started it, whatever state it is left in.
        ProcessHandle.current()
                .parent()
                .ifPresent(parent ->
                        parent.onExit().thenRun(() -> Runtime.getRuntime().halt(1)));
        switch (args[0]) {
            case "serve" ->
                serve(
                        args[1],
                        new AppLane(args[2], Boolean.parseBoolean(args[3]), List.of()),
                        args[4],
                        Integer.parseInt(args[5]));
            case "advisor" -> {
                AdvisorCase.run(args[1], args[2], Integer.parseInt(args[3]), args[4]);
                System.exit(0);
            }
            case "overhead" -> {
                new OverheadBench(Boolean.parseBoolean(args[1]), args[2]).run();
                System.exit(0);
            }
            default ->
                throw new IllegalArgumentException(
                        "Unknown app role \"" + args[0] + "\": use serve, advisor or overhead");
        }
    }

    private static void serve(String contenderName, AppLane lane, String url, int port) throws Exception {
        // The job bodies find the database here, in this JVM and, through their options, in workers.
        System.setProperty(MemoryProbe.URL_PROPERTY, url);
        HttpServer web = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 200);
        web.createContext("/hello", AppNode::hello);
        web.setExecutor(Executors.newFixedThreadPool(
                WEB_THREADS, Thread.ofPlatform().name("app-web-", 1).factory()));
        web.start();
        HikariDataSource dataSource = pool(url);
        Contender contender = Contenders.create(contenderName);
        contender.prepareApp(
                dataSource,
                new AppLane(lane.executor(), lane.eagerStart(), List.of("-D" + MemoryProbe.URL_PROPERTY + "=" + url)));
        contender.start();
        MemoryProbe.arrive(dataSource, "started");
        new CountDownLatch(1).await();
    }

    /**
     * The endpoint: builds a 16 KB page, as a request that renders something would, so that a heap
     * with no room left shows in its answers.
     */
    private static void hello(HttpExchange exchange) throws IOException {
        try (exchange) {
            StringBuilder page = new StringBuilder(16 * 1024);
            while (page.length() < 16 * 1024) {
                page.append("hello from the application ").append(page.length()).append('\n');
            }
            byte[] body = page.toString().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static HikariDataSource pool(String url) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername("postgres");
        config.setMaximumPoolSize(20);
        config.setPoolName("app");
        return new HikariDataSource(config);
    }
}
