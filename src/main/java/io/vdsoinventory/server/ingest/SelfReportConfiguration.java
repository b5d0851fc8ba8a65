package io.vdsoinventory.server.ingest;

import io.vdsoinventory.server.VdsoProperties;
import io.vdsoinventory.server.security.Enrollment;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.scheduling.TaskScheduler;

/**
 * Runs the {@link SelfReporter} when {@code vdso.self-report.enabled} is true, or when it is unset and the service
 * runs on its embedded database (the out-of-the-box single-box setup).
 */
@Configuration(proxyBeanMethods = false)
@Conditional(SelfReportConfiguration.Enabled.class)
class SelfReportConfiguration {

    @Bean
    SelfReporter selfReporter(IngestService ingest, Enrollment enrollment, TaskScheduler scheduler,
            VdsoProperties properties) {
        return new SelfReporter(ingest, enrollment, scheduler, properties);
    }

    static final class Enabled implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            Boolean enabled = context.getEnvironment().getProperty("vdso.self-report.enabled", Boolean.class);
            return enabled != null ? enabled : !context.getEnvironment().containsProperty("spring.datasource.url");
        }
    }
}
