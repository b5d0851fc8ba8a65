package io.vdsoinventory.server.security;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Puts the bearer check in front of every handler. */
@Configuration(proxyBeanMethods = false)
class WebConfiguration implements WebMvcConfigurer {

    private final AuthInterceptor authInterceptor;

    WebConfiguration(AuthInterceptor authInterceptor) {
        this.authInterceptor = authInterceptor;
    }

    /**
     * The bearer check's memory of known credentials, shared with the credentials' store, which forgets what it
     * deletes (static: no cycle with this class).
     */
    @Bean
    static CredentialCache credentialCache() {
        return new CredentialCache(System::nanoTime, AuthInterceptor.CACHE_TTL, AuthInterceptor.CACHE_ENTRIES);
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(authInterceptor);
    }
}
