package io.vdsoinventory.server.security;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The handler (or every handler of the controller) needs a person's API token of at least this role. */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
public @interface RequiresRole {
    Role value();

    /** Request attribute holding the name of the API token that authenticated the request (who acted, for audits). */
    String TOKEN_NAME = "io.vdsoinventory.tokenName";
}
