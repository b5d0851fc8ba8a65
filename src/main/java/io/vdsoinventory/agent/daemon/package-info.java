/**
 * The agent daemon behind {@code agent run}: the loop, the host observer, the on-disk spool, delivery with
 * backoff and the node key, and the HTTP client of the service (JSON by jackson-jr, no databind, no Spring).
 */
package io.vdsoinventory.agent.daemon;
