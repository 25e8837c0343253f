package io.taskbound.dashboard.security.app;

import io.taskbound.Job;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A web application with Spring Security and its own users, none of them the dashboard's: an
 * operator with the dashboard's role, a viewer with its read-only role, and a clerk with neither.
 * It declares no filter chain of its own; tests add one, or leave Boot's default in place.
 */
@SpringBootApplication
public class ShopApplication {

    public static final String PASSWORD = "s3cret";

    @Bean
    UserDetailsService users() {
        return new InMemoryUserDetailsManager(
                User.withUsername("operator")
                        .password("{noop}" + PASSWORD)
                        .roles("TASKBOUND_ADMIN", "USER")
                        .build(),
                User.withUsername("viewer")
                        .password("{noop}" + PASSWORD)
                        .roles("TASKBOUND_VIEWER", "USER")
                        .build(),
                User.withUsername("clerk")
                        .password("{noop}" + PASSWORD)
                        .roles("USER")
                        .build());
    }

    @Bean
    Printer printer() {
        return new Printer();
    }

    public static class Printer {
        @Job(name = "printer.print")
        public String print(String text) {
            return "printed " + text;
        }
    }

    /** A page of the application's own, behind its own security. */
    @RestController
    static class Hello {
        @GetMapping("/hello")
        String hello() {
            return "hello";
        }
    }
}
