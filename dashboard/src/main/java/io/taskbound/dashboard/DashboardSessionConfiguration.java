package io.taskbound.dashboard;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class DashboardSessionConfiguration {

    /** The caller as Spring Security knows it when its part is configured, else as the dashboard's filter does. */
    @Bean
    DashboardSessionApi taskboundDashboardSessionApi(ObjectProvider<DashboardCaller> caller) {
        return new DashboardSessionApi(caller.getIfAvailable(() -> DashboardCaller.UNSECURED));
    }
}
