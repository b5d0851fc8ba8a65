/**
 * The inventory service (Spring Boot): start-up, configuration and the embedded database. Features live in the
 * sub-packages: {@code ingest} (agent protocol), {@code inventory} (the query API), {@code security} (credentials),
 * {@code api} (errors and the served contract).
 */
@NullMarked
package io.vdsoinventory.server;

import org.jspecify.annotations.NullMarked;
