package io.vdsoinventory.server.security;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The handler needs an agent's node key; the authenticated host id is then available as the request attribute
 * {@link #HOST_ID}.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
public @interface RequiresNodeKey {

    /** Request attribute holding the {@code Long} id of the host whose node key authenticated the request. */
    String HOST_ID = "io.vdsoinventory.hostId";
}
