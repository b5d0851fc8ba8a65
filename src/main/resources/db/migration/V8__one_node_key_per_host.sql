-- One node key per host: enrolling again (a lost key file, a 401, a one-shot `agent report`) replaces the host's
-- key instead of adding one, so a leaked or forgotten key stops working at the next enrolment rather than never.
-- Merged migrations never change.

-- Keys of earlier enrolments of a host are the ones that rule retires: the newest stays. An agent still holding an
-- older one is answered 401 and enrols again (the daemon does so by itself).
DELETE FROM node_keys k
WHERE EXISTS (SELECT 1 FROM node_keys n WHERE n.host_id = k.host_id
              AND (n.created_at, n.key_hash) > (k.created_at, k.key_hash));

-- The host's key is found, and replaced, by the host; the hash-index exclusion constraint (V6) keeps finding the
-- host of a key.
ALTER TABLE node_keys ADD PRIMARY KEY (host_id);
