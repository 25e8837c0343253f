package io.taskbound.sample;

import io.taskbound.Bound;
import io.taskbound.Job;
import org.springframework.stereotype.Component;

/** The seed example: a slow I/O-bound addition. Three of them wait side by side on virtual threads. */
@Component
public class Calculator {

    @Job(name = "calculator.add", bound = Bound.IO)
    public int add(int a, int b) throws InterruptedException {
        Thread.sleep(3000);
        return a + b;
    }
}
