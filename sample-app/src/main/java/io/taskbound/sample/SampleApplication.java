package io.taskbound.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Pressroom, a small publishing back office: reports rendered on the CPU lane, webhooks delivered on
 * the network lane, thumbnails written on the disk lane, housekeeping on the constrained lane, all
 * started from REST endpoints and stored in the application's PostgreSQL; and two recurring jobs, a
 * nightly purge of old reports and a check of the render backlog every 30 seconds.
 */
@SpringBootApplication
public class SampleApplication {

    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }
}
