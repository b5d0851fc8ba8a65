-- GET /kernels and the fleet gauges read a rollup of hosts instead of aggregating every host per call: the host
-- count per kernel (release, arch, build-id) and current image. Triggers on hosts keep it exact in the writing
-- transaction; steady heartbeats, which change none of the grouped columns, do not touch it. Merged migrations
-- never change.

CREATE TABLE kernel_image_hosts (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kernel_release  text   NOT NULL,
    arch            text,
    kernel_build_id text,
    image_sha256    text,
    -- no CHECK (hosts > 0): PostgreSQL checks the row an upsert proposes before finding the conflict, and a
    -- decrement proposes a negative one; the apply function deletes groups at 0
    hosts           bigint NOT NULL,
    UNIQUE NULLS NOT DISTINCT (kernel_release, arch, kernel_build_id, image_sha256)
);

-- One change of the rollup: add hosts (negative to remove) to a group.
CREATE TYPE kernel_image_delta AS (kernel_release text, arch text, kernel_build_id text, image_sha256 text,
                                   hosts bigint);

-- Applies deltas; groups are locked in key order (so concurrent writers cannot deadlock on the rollup), and a
-- group that reaches 0 hosts is deleted while this transaction still holds its lock. Hosts without a kernel
-- (enrolled, not yet reported) are not counted, as GET /kernels does not show them.
CREATE FUNCTION kernel_image_hosts_apply(deltas kernel_image_delta[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    emptied bigint[];
BEGIN
    WITH applied AS (
        INSERT INTO kernel_image_hosts AS k (kernel_release, arch, kernel_build_id, image_sha256, hosts)
        SELECT d.kernel_release, d.arch, d.kernel_build_id, d.image_sha256, sum(d.hosts)::bigint
        FROM unnest(deltas) d
        WHERE d.kernel_release IS NOT NULL
        GROUP BY 1, 2, 3, 4
        HAVING sum(d.hosts) <> 0
        ORDER BY 1, 2, 3, 4
        ON CONFLICT (kernel_release, arch, kernel_build_id, image_sha256)
            DO UPDATE SET hosts = k.hosts + EXCLUDED.hosts
        RETURNING k.id, k.hosts)
    SELECT array_agg(id) INTO emptied FROM applied WHERE hosts = 0;
    IF emptied IS NOT NULL THEN
        DELETE FROM kernel_image_hosts WHERE id = ANY (emptied);
    END IF;
END $$;

CREATE FUNCTION kernel_image_hosts_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM kernel_image_hosts_apply(ARRAY(
        SELECT ROW(kernel_release, arch, kernel_build_id, image_sha256, count(*))::kernel_image_delta
        FROM new_hosts GROUP BY kernel_release, arch, kernel_build_id, image_sha256));
    RETURN NULL;
END $$;

CREATE FUNCTION kernel_image_hosts_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM kernel_image_hosts_apply(ARRAY(
        SELECT ROW(kernel_release, arch, kernel_build_id, image_sha256, -count(*))::kernel_image_delta
        FROM old_hosts GROUP BY kernel_release, arch, kernel_build_id, image_sha256));
    RETURN NULL;
END $$;

CREATE FUNCTION kernel_image_hosts_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM kernel_image_hosts_apply(ARRAY[
        ROW(OLD.kernel_release, OLD.arch, OLD.kernel_build_id, OLD.image_sha256, -1)::kernel_image_delta,
        ROW(NEW.kernel_release, NEW.arch, NEW.kernel_build_id, NEW.image_sha256, 1)::kernel_image_delta]);
    RETURN NULL;
END $$;

CREATE FUNCTION kernel_image_hosts_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM kernel_image_hosts;
    RETURN NULL;
END $$;

-- Inserts and deletes are counted once per statement (a COPY of 200,000 hosts is one grouped delta).
CREATE TRIGGER hosts_kernel_image_insert AFTER INSERT ON hosts
    REFERENCING NEW TABLE AS new_hosts FOR EACH STATEMENT EXECUTE FUNCTION kernel_image_hosts_insert();
CREATE TRIGGER hosts_kernel_image_delete AFTER DELETE ON hosts
    REFERENCING OLD TABLE AS old_hosts FOR EACH STATEMENT EXECUTE FUNCTION kernel_image_hosts_delete();
-- PostgreSQL allows no column list with transition tables, so updates are counted per row, and only when a
-- grouped column changes.
CREATE TRIGGER hosts_kernel_image_update AFTER UPDATE OF kernel_release, arch, kernel_build_id, image_sha256 ON hosts
    FOR EACH ROW
    WHEN (OLD.kernel_release IS DISTINCT FROM NEW.kernel_release OR OLD.arch IS DISTINCT FROM NEW.arch
          OR OLD.kernel_build_id IS DISTINCT FROM NEW.kernel_build_id
          OR OLD.image_sha256 IS DISTINCT FROM NEW.image_sha256)
    EXECUTE FUNCTION kernel_image_hosts_update();
CREATE TRIGGER hosts_kernel_image_truncate AFTER TRUNCATE ON hosts
    FOR EACH STATEMENT EXECUTE FUNCTION kernel_image_hosts_truncate();

-- The hosts already there; no writer runs during the migration, the lock only makes that explicit.
LOCK TABLE hosts IN SHARE MODE;
SELECT kernel_image_hosts_apply(ARRAY(
    SELECT ROW(kernel_release, arch, kernel_build_id, image_sha256, count(*))::kernel_image_delta
    FROM hosts GROUP BY kernel_release, arch, kernel_build_id, image_sha256));
