/**
 * The agent-to-server wire records (JSON), shared by the agent and the service. Plain records: the agent
 * serialises them without Spring; the service validates them at its edge (the constraint annotations are only
 * read there).
 */
package io.vdsoinventory.protocol;
