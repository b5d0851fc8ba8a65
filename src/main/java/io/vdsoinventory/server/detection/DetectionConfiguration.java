package io.vdsoinventory.server.detection;

import io.vdsoinventory.vdso.abi.AbiCatalog;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The expected-ABI catalog, loaded once. */
@Configuration(proxyBeanMethods = false)
class DetectionConfiguration {

    @Bean
    AbiCatalog abiCatalog() {
        return AbiCatalog.load();
    }
}
