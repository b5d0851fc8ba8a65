/**
 * Credentials: enrolment (the enroll secret exchanged for a host's node key), node keys (agents) and API tokens
 * with roles (people), stored only as SHA-256 hashes, the bearer check on every request, and the secrets
 * generated at first start.
 */
@NullMarked
package io.vdsoinventory.server.security;

import org.jspecify.annotations.NullMarked;
