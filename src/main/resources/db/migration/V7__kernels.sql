-- A host's kernel identity (release, uname -v, arch, kernel build-id: ~115 bytes of text) is shared by thousands of
-- hosts and never changes once reported: it is kept once per distinct kernel, and each host names it by a 4-byte
-- id. Hosts take ~135 bytes less each (row and the release and arch indexes). Merged migrations never change.

-- A row is never updated (a changed kernel is another row) nor deleted while named, so a cached id stays valid.
-- Rows grow with distinct kernels reported, as host_events grows with kernel changes.
CREATE TABLE kernels (
    id       integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    release  text    NOT NULL,
    version  text,
    arch     text,
    build_id text,
    UNIQUE NULLS NOT DISTINCT (release, version, arch, build_id)
);

-- The rollup's update trigger names the old columns: dropped for the change, created again on kernel_id below.
DROP TRIGGER hosts_kernel_image_update ON hosts;

LOCK TABLE hosts IN SHARE MODE;
INSERT INTO kernels (release, version, arch, build_id)
SELECT DISTINCT kernel_release, kernel_version, arch, kernel_build_id FROM hosts WHERE kernel_release IS NOT NULL;

ALTER TABLE hosts ADD COLUMN kernel_id integer REFERENCES kernels (id);
UPDATE hosts h SET kernel_id = k.id
FROM kernels k
WHERE k.release = h.kernel_release AND k.version IS NOT DISTINCT FROM h.kernel_version
  AND k.arch IS NOT DISTINCT FROM h.arch AND k.build_id IS NOT DISTINCT FROM h.kernel_build_id;

-- What detection compares a host row with to tell whether its record is stale (V6's host_observation, made of
-- the kernel's id instead of its text): records that matched their host under V6's hash get its new hash.
CREATE FUNCTION host_observation(image_sha256 text, boot_id text, kernel_id integer) RETURNS bytea
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN substr(sha256(convert_to(concat_ws(',', quote_nullable(image_sha256), quote_nullable(boot_id),
                                          quote_nullable(kernel_id)), 'UTF8')), 1, 16);

UPDATE host_detection d
SET observed = CASE WHEN d.observed = host_observation(encode(h.image_sha256, 'hex'), h.boot_id, h.kernel_release,
                                                      h.kernel_version, h.arch)
                    THEN host_observation(encode(h.image_sha256, 'hex'), h.boot_id, h.kernel_id) END
FROM hosts h
WHERE h.id = d.host_id;
DROP FUNCTION host_observation(text, text, text, text, text);

DROP INDEX hosts_kernel_release;
DROP INDEX hosts_arch;
ALTER TABLE hosts
    DROP COLUMN kernel_release,
    DROP COLUMN kernel_version,
    DROP COLUMN arch,
    DROP COLUMN kernel_build_id;
-- one value per kernel, few kernels: deduplicated like V6's indexes
CREATE INDEX hosts_kernel_id ON hosts (kernel_id);

-- The kernel rollup (V4) keeps its text keys, read from kernels now by one function for all its triggers (V4's three
-- are dropped). A host without a kernel (enrolled, not yet reported) has none and is not counted, as before.
CREATE FUNCTION kernel_image_hosts_count(kernel_ids integer[], images bytea[], signs integer[]) RETURNS void
LANGUAGE sql AS $$
    SELECT kernel_image_hosts_apply(ARRAY(
        SELECT ROW(k.release, k.arch, k.build_id, encode(c.image_sha256, 'hex'), sum(c.sign))::kernel_image_delta
        FROM unnest(kernel_ids, images, signs) AS c (kernel_id, image_sha256, sign)
        LEFT JOIN kernels k ON k.id = c.kernel_id
        GROUP BY k.release, k.arch, k.build_id, c.image_sha256))
$$;

-- A statement's inserted hosts count +1 and deleted ones -1; a transition table exists only in the trigger that
-- declares it, so each branch reads its own.
CREATE FUNCTION kernel_image_hosts_statement() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM kernel_image_hosts_count(array_agg(kernel_id), array_agg(image_sha256), array_agg(1)) FROM new_hosts;
    ELSE
        PERFORM kernel_image_hosts_count(array_agg(kernel_id), array_agg(image_sha256), array_agg(-1)) FROM old_hosts;
    END IF;
    RETURN NULL;
END $$;

-- A host moved to another kernel or image: both groups change in one call, which locks them in key order.
CREATE FUNCTION kernel_image_hosts_row() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM kernel_image_hosts_count(ARRAY[OLD.kernel_id, NEW.kernel_id], ARRAY[OLD.image_sha256, NEW.image_sha256],
                                     ARRAY[-1, 1]);
    RETURN NULL;
END $$;

DROP TRIGGER hosts_kernel_image_insert ON hosts;
DROP TRIGGER hosts_kernel_image_delete ON hosts;
DROP FUNCTION kernel_image_hosts_insert();
DROP FUNCTION kernel_image_hosts_delete();
DROP FUNCTION kernel_image_hosts_update();
CREATE TRIGGER hosts_kernel_image_insert AFTER INSERT ON hosts
    REFERENCING NEW TABLE AS new_hosts FOR EACH STATEMENT EXECUTE FUNCTION kernel_image_hosts_statement();
CREATE TRIGGER hosts_kernel_image_delete AFTER DELETE ON hosts
    REFERENCING OLD TABLE AS old_hosts FOR EACH STATEMENT EXECUTE FUNCTION kernel_image_hosts_statement();
CREATE TRIGGER hosts_kernel_image_update AFTER UPDATE OF kernel_id, image_sha256 ON hosts
    FOR EACH ROW
    WHEN (OLD.kernel_id IS DISTINCT FROM NEW.kernel_id OR OLD.image_sha256 IS DISTINCT FROM NEW.image_sha256)
    EXECUTE FUNCTION kernel_image_hosts_row();
