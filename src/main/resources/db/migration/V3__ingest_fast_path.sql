-- Ingest at fleet scale: a steady heartbeat rewrites one hosts row in place, and what is kept per host is compact.

-- Room in every page for the next version of its rows: a heartbeat changes no indexed value, so its update is
-- a heap-only (HOT) update into the same page, with no new index entries and no page bloat.
ALTER TABLE hosts SET (fillfactor = 85);

-- The SHA-256 of a node key as its 32 bytes rather than 64 hex characters (row and primary-key index).
ALTER TABLE node_keys ALTER COLUMN key_hash TYPE bytea USING decode(key_hash, 'hex');

-- A host's timeline is only ever read by host in id order: key the table that way and drop the second index.
ALTER TABLE host_events DROP CONSTRAINT host_events_pkey;
DROP INDEX host_events_host_id;
ALTER TABLE host_events ADD PRIMARY KEY (host_id, id);
