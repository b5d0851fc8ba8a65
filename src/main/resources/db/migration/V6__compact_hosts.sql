-- Storage per host: indexes of hosts that B-tree deduplication can compress; detection's record of the host
-- state it last evaluated kept as one hash instead of a copy of it, and its cohort memberships as ids instead of
-- text keys. Merged migrations never change.

-- Image, kernel release and arch take few distinct values across a fleet. Keyed by the value alone, an index
-- stores each value once with a compressed list of row pointers (deduplication); keyed by (value, id), every
-- entry is unique and stored whole. The keyset page (id > :after ORDER BY id LIMIT n) reads a selective value's
-- rows through a bitmap and keeps the top n, and walks the primary key with a filter for a common one.
DROP INDEX hosts_image_id;
DROP INDEX hosts_kernel_release_id;
DROP INDEX hosts_arch_id;

-- A host's current image as the 32 bytes of its SHA-256 rather than 64 hex characters (row and index). The API,
-- images and the kernel rollup keep the hex text: the statements on hosts encode and decode at the boundary.
-- The rollup's update trigger names the column, so it is dropped for the change and created again as V4 made it.
DROP TRIGGER hosts_kernel_image_update ON hosts;
ALTER TABLE hosts ALTER COLUMN image_sha256 TYPE bytea USING decode(image_sha256, 'hex');
CREATE TRIGGER hosts_kernel_image_update AFTER UPDATE OF kernel_release, arch, kernel_build_id, image_sha256 ON hosts
    FOR EACH ROW
    WHEN (OLD.kernel_release IS DISTINCT FROM NEW.kernel_release OR OLD.arch IS DISTINCT FROM NEW.arch
          OR OLD.kernel_build_id IS DISTINCT FROM NEW.kernel_build_id
          OR OLD.image_sha256 IS DISTINCT FROM NEW.image_sha256)
    EXECUTE FUNCTION kernel_image_hosts_update();

CREATE OR REPLACE FUNCTION kernel_image_hosts_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM kernel_image_hosts_apply(ARRAY(
        SELECT ROW(kernel_release, arch, kernel_build_id, encode(image_sha256, 'hex'), count(*))::kernel_image_delta
        FROM new_hosts GROUP BY kernel_release, arch, kernel_build_id, image_sha256));
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION kernel_image_hosts_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM kernel_image_hosts_apply(ARRAY(
        SELECT ROW(kernel_release, arch, kernel_build_id, encode(image_sha256, 'hex'), -count(*))::kernel_image_delta
        FROM old_hosts GROUP BY kernel_release, arch, kernel_build_id, image_sha256));
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION kernel_image_hosts_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM kernel_image_hosts_apply(ARRAY[
        ROW(OLD.kernel_release, OLD.arch, OLD.kernel_build_id, encode(OLD.image_sha256, 'hex'), -1)::kernel_image_delta,
        ROW(NEW.kernel_release, NEW.arch, NEW.kernel_build_id, encode(NEW.image_sha256, 'hex'), 1)::kernel_image_delta]);
    RETURN NULL;
END $$;

CREATE INDEX hosts_image_sha256 ON hosts (image_sha256);
CREATE INDEX hosts_kernel_release ON hosts (kernel_release);
CREATE INDEX hosts_arch ON hosts (arch);

-- What detection compares a host row with to tell whether its record is stale: the reported image, boot id and
-- kernel identity (release, version as '' when unknown, arch), hashed as one injective text (quote_nullable
-- tells NULL from any string and quotes the separators away). Ingest computes it from the row, detection from
-- the host it evaluated; only equality matters. SHA-256 cut to 16 bytes rather than MD5: the kernel version and
-- boot id are an agent's free text, and MD5 collisions can be made to order.
CREATE FUNCTION host_observation(image_sha256 text, boot_id text, kernel_release text, kernel_version text,
                                 arch text) RETURNS bytea
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN substr(sha256(convert_to(concat_ws(',', quote_nullable(image_sha256), quote_nullable(boot_id),
                                          quote_nullable(kernel_release), quote_nullable(coalesce(kernel_version, '')),
                                          quote_nullable(arch)), 'UTF8')), 1, 16);

-- A host's cohort memberships name their cohort_variants row by id (8 bytes) instead of repeating its text
-- keys (a build-id, a normalized hash, a kernel identity as JSON): the rows are never deleted (counts stop at 0),
-- so an id stays valid.
ALTER TABLE cohort_variants ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY UNIQUE;

ALTER TABLE host_detection
    ADD COLUMN observed          bytea,
    ADD COLUMN build_membership  bigint REFERENCES cohort_variants (id),
    ADD COLUMN kernel_membership bigint REFERENCES cohort_variants (id);

-- Records that matched their host row get that row's hash; any other gets NULL, which is stale, so the host's
-- next report re-evaluates it (idempotent: an unchanged host changes nothing).
LOCK TABLE hosts IN SHARE MODE;
UPDATE host_detection d
SET observed = CASE WHEN d.image_sha256 IS NOT DISTINCT FROM encode(h.image_sha256, 'hex')
                         AND d.boot_id IS NOT DISTINCT FROM h.boot_id
                         AND d.kernel IS NOT DISTINCT FROM h.kernel_release || chr(10) || coalesce(h.kernel_version, '')
                             || chr(10) || h.arch
                    THEN host_observation(encode(h.image_sha256, 'hex'), h.boot_id, h.kernel_release,
                                          h.kernel_version, h.arch) END,
    build_membership = (SELECT c.id FROM cohort_variants c WHERE c.cohort = d.build_cohort AND c.variant = d.build_variant),
    kernel_membership = (SELECT c.id FROM cohort_variants c WHERE c.cohort = d.kernel_cohort
                         AND c.variant = d.kernel_variant)
FROM hosts h
WHERE h.id = d.host_id;

ALTER TABLE host_detection
    DROP COLUMN image_sha256,
    DROP COLUMN boot_id,
    DROP COLUMN kernel,
    DROP COLUMN build_cohort,
    DROP COLUMN build_variant,
    DROP COLUMN kernel_cohort,
    DROP COLUMN kernel_variant;
-- A host in a kernel cohort was last seen running the cohort's kernel identity and its variant's normalized image
-- (the build variant, else the kernel variant after 'sha:'): those seen_* are NULL rather than kept twice
-- (HostEvaluator.named); only the ones equal to what the memberships name.
UPDATE host_detection d SET seen_normalized = NULL, seen_kernel = NULL
FROM cohort_variants k,
     LATERAL (SELECT CASE WHEN k.cohort LIKE 'kernel:%' THEN substr(k.cohort, length('kernel:') + 1)::jsonb END
              AS parts) i
WHERE k.id = d.kernel_membership
  AND d.seen_normalized = coalesce((SELECT b.variant FROM cohort_variants b WHERE b.id = d.build_membership),
                                   substr(k.variant, length('sha:') + 1))
  AND d.seen_kernel = (i.parts ->> 0) || chr(10) || (i.parts ->> 1) || chr(10) || (i.parts ->> 2);

CREATE INDEX host_detection_build ON host_detection (build_membership);
CREATE INDEX host_detection_kernel ON host_detection (kernel_membership);

-- A node key is only ever looked up by its hash, never by range or in order: a hash index keeps a 4-byte code of
-- each 32-byte key hash instead of a copy, and an exclusion constraint on it keeps the key hashes unique.
ALTER TABLE node_keys DROP CONSTRAINT node_keys_pkey;
ALTER TABLE node_keys ADD CONSTRAINT node_keys_key_hash EXCLUDE USING hash (key_hash WITH =);

-- Labels change at enrolment and the first report, rarely after: GIN's pending list (fastupdate) only defers
-- those few inserts, and its pages, once flushed, stay in the index as free space (~50 B per host).
ALTER INDEX hosts_labels SET (fastupdate = off);

-- 10% of each page free rather than V3's 15%: two new versions of a ~330-byte host row fit, and reading the page
-- prunes the dead ones, so heartbeat updates stay heap-only (HOT) with ~20 B less per host.
ALTER TABLE hosts SET (fillfactor = 90);
