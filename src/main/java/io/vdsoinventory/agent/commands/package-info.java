/**
 * The agent's command line: {@code extract}, {@code symbols}, {@code inspect}, {@code scan-processes},
 * {@code report} and {@code run} (which starts the daemon), their options and output formats.
 */
package io.vdsoinventory.agent.commands;
