package io.taskbound.autoconfigure.app;

import io.taskbound.Bound;
import io.taskbound.Job;
import io.taskbound.Jobs;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.annotation.Transactional;

/** A small application using Taskbound the way a user would: a service that stores and enqueues. */
@Configuration(proxyBeanMethods = false)
@AutoConfigurationPackage
public class ShopApplication {

    @Bean
    Shop shop(Jobs jobs) {
        return new Shop(jobs);
    }

    @Bean
    Mailer mailer() {
        return new Mailer();
    }

    public static class Shop {

        private final Jobs jobs;

        @PersistenceContext
        private EntityManager entityManager;

        Shop(Jobs jobs) {
            this.jobs = jobs;
        }

        /** Stores the order and enqueues its confirmation in one transaction. */
        @Transactional
        public void order(long id, String item, boolean failAfterEnqueue) {
            entityManager.persist(new ShopOrder(id, item));
            jobs.enqueue(Mailer::confirm, id);
            if (failAfterEnqueue) {
                throw new IllegalStateException("payment declined for order " + id);
            }
        }
    }

    public static class Mailer {

        public final Set<Long> confirmed = ConcurrentHashMap.newKeySet();

        @Job(bound = Bound.NETWORK, name = "mailer.confirm")
        public void confirm(long orderId) {
            confirmed.add(orderId);
        }
    }
}
