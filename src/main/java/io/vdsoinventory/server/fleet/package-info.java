/**
 * The fleet's shared vocabulary, which every feature package may use and which uses none of them: the kinds of a
 * host's timeline events, the kinds and severities of findings, an image's analysis status, and the events ingest
 * publishes when a host reported or an image was stored.
 */
@NullMarked
package io.vdsoinventory.server.fleet;

import org.jspecify.annotations.NullMarked;
