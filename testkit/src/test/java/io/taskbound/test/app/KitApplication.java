package io.taskbound.test.app;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The application the test kit's own tests run: a mailer with a few jobs and an hourly schedule. */
@SpringBootApplication
public class KitApplication {}
