-- Evidence of the agent's process scan and clock check, kept with what detection last evaluated of each host.
-- process_scan is the last reported scan summary (counts and the capped list of differing processes);
-- process_scan_digest hashes what the PROCESS_VDSO_MISMATCH finding depends on, so a heartbeat with the same
-- digest costs no evaluation. clock_check is the last evaluated clock check, clock_consistent its verdict under
-- the configured tolerance (VDSO_CLOCK_MISMATCH when false). All null until an agent reports them.
ALTER TABLE host_detection
    ADD COLUMN process_scan        jsonb,
    ADD COLUMN process_scan_digest text,
    ADD COLUMN clock_consistent    boolean,
    ADD COLUMN clock_check         jsonb;
