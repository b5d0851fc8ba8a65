/** The API edge shared by all controllers: named failures, their RFC 9457 rendering, and the served contract. */
@NullMarked
package io.vdsoinventory.server.api;

import org.jspecify.annotations.NullMarked;
