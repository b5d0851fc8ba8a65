/**
 * TLS of the service: secure by default with a private CA generated at first start, or the operator's
 * certificate, through Spring Boot's reloading SSL bundles; plain HTTP only when asked for, then on the loopback.
 */
@NullMarked
package io.vdsoinventory.server.tls;

import org.jspecify.annotations.NullMarked;
