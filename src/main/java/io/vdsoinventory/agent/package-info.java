/**
 * The agent: what its commands ({@link io.vdsoinventory.agent.commands}) and its daemon
 * ({@link io.vdsoinventory.agent.daemon}) share, which uses neither of them: the image a command works on, the
 * enroll secret, the process scan and clock check as reported, failures and exit codes.
 */
package io.vdsoinventory.agent;
