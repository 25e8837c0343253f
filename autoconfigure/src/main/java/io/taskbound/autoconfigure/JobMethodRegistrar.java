package io.taskbound.autoconfigure;

import io.taskbound.Job;
import io.taskbound.Recurring;
import io.taskbound.registry.JobRegistry;
import java.lang.reflect.Method;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;

/**
 * Registers the {@code @Job} and {@code @Recurring} methods of every singleton bean once all singletons exist, before the
 * engine starts. Registering the bean itself (a proxy, when the bean is advised) keeps its advice,
 * such as {@code @Transactional}, on every run.
 */
final class JobMethodRegistrar implements SmartInitializingSingleton {

    private final ApplicationContext context;
    private final ObjectProvider<JobRegistry> registry;

    JobMethodRegistrar(ApplicationContext context, ObjectProvider<JobRegistry> registry) {
        this.context = context;
        this.registry = registry;
    }

    @Override
    public void afterSingletonsInstantiated() {
        ConfigurableListableBeanFactory beanFactory = ((ConfigurableApplicationContext) context).getBeanFactory();
        JobRegistry jobs = registry.getObject();
        for (String name : beanFactory.getBeanDefinitionNames()) {
            if (!beanFactory.getBeanDefinition(name).isSingleton()
                    || beanFactory.getBeanDefinition(name).isAbstract()) {
                continue;
            }
            Class<?> type = beanFactory.getType(name, false);
            if (type == null) {
                continue;
            }
            Class<?> userClass = ClassUtils.getUserClass(type);
            Map<Method, Boolean> methods =
                    MethodIntrospector.selectMethods(userClass, (MethodIntrospector.MetadataLookup<Boolean>)
                            method -> AnnotatedElementUtils.hasAnnotation(method, Job.class)
                                            || AnnotatedElementUtils.hasAnnotation(method, Recurring.class)
                                    ? Boolean.TRUE
                                    : null);
            if (!methods.isEmpty()) {
                jobs.register(beanFactory.getBean(name), userClass);
            }
        }
    }
}
