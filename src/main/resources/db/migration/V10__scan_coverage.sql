-- A process scan carries its coverage: how many processes the agent could not read (no privilege) or skipped,
-- whether it ran with CAP_SYS_PTRACE, and whether it compared every process with a vDSO
-- (ProcessScanSummary.complete: null without a scan or from an agent that did not count what it could not read).
-- A scan that read only some processes vouches for those only, so the host shows it as incomplete and
-- `GET /hosts?scan=incomplete` finds it. Merged migrations never change.

ALTER TABLE hosts
    ADD COLUMN processes_unreadable integer,
    ADD COLUMN processes_skipped integer,
    ADD COLUMN scan_privileged boolean,
    ADD COLUMN scan_complete boolean;

-- `?scan=incomplete` walks the incomplete hosts, not the fleet
CREATE INDEX hosts_scan_incomplete ON hosts (id) WHERE scan_complete = false;
