-- Evidence of the agent's process scan and clock check, kept with what detection last evaluated of each host.
-- process_scan is the last reported scan summary (counts and the capped list of differing processes);
-- process_scan_digest hashes what the PROCESS_VDSO_MISMATCH finding depends on, so a heartbeat with the same
-- digest costs no evaluation. clock_check is the last evaluated clock check, clock_consistent its verdict under
-- the configured tolerance (VDSO_CLOCK_MISMATCH when false). All null until an agent reports them.
-- The digest replaces process_mismatches, the count it covers, as what tells detection that a scan changed.
ALTER TABLE host_detection
    DROP COLUMN process_mismatches,
    ADD COLUMN process_scan        jsonb,
    ADD COLUMN process_scan_digest text,
    ADD COLUMN clock_consistent    boolean,
    ADD COLUMN clock_check         jsonb;
