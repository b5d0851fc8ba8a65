-- API tokens get a unique name (revoked and listed by it), an optional expiry and their last use; node keys keep
-- where they were enrolled from; hosts can be retired; findings are ordered by severity. Merged migrations never change.

-- Names were free text until now: a repeated name keeps its oldest token, later ones get " #2", " #3", ...
-- (the secret is all an agent or script holds, so renaming breaks nothing).
UPDATE api_tokens t SET name = t.name || ' #' || d.rank
FROM (SELECT token_hash, row_number() OVER (PARTITION BY name ORDER BY created_at, token_hash) AS rank
      FROM api_tokens) d
WHERE d.token_hash = t.token_hash AND d.rank > 1;
ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_name_key UNIQUE (name);
-- refused from this instant on, as if revoked; null: never
ALTER TABLE api_tokens ADD COLUMN expires_at timestamptz;
-- written when the bearer check looks the token up (at most once per bearer-cache lifetime)
ALTER TABLE api_tokens ADD COLUMN last_used_at timestamptz;

-- Where a node key was enrolled from: a host key enrolled again while its current key still reports is a
-- HOST_KEY_CONFLICT, whose evidence names both enrolments' source addresses.
ALTER TABLE node_keys ADD COLUMN enrolled_from text;

-- A retired host (decommissioned): out of the default host lists and the silence sweep until it enrols again. A
-- table of its own rather than columns of hosts: a heartbeat's row update stays as it is, and the default
-- filter of GET /hosts is an anti-join with these few rows, which keeps the index-only page plans.
CREATE TABLE host_retirements (
    host_id bigint PRIMARY KEY REFERENCES hosts (id),
    retired_at timestamptz NOT NULL DEFAULT now(),
    retired_by text NOT NULL,
    reason text NOT NULL
);

-- GET /findings lists the most severe first, then the newest: a keyset on (rank, opened_at, id), all immutable.
-- The rank is Severity's order (INFO 0 .. CRITICAL 4).
ALTER TABLE findings ADD COLUMN severity_rank smallint GENERATED ALWAYS AS (
    CASE severity WHEN 'INFO' THEN 0 WHEN 'LOW' THEN 1 WHEN 'MEDIUM' THEN 2 WHEN 'HIGH' THEN 3 WHEN 'CRITICAL' THEN 4
    END) STORED NOT NULL;
CREATE INDEX findings_by_severity ON findings (severity_rank, opened_at, id);
