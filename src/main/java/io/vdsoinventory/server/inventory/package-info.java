/**
 * The inventory as people query it: hosts with their current state and timeline, images and their symbols,
 * kernels. Read-only SQL through JdbcClient; keyset pagination.
 */
@NullMarked
package io.vdsoinventory.server.inventory;

import org.jspecify.annotations.NullMarked;
