-- Detection: findings with a subject and an audited suppression, per-image verdicts computed once, per-host
-- detection state, cohort counts maintained incrementally, trust decisions, reference images, webhook outbox.

-- A finding is opened once per (host, kind, subject): the subject names what it is about (a symbol, an anomaly
-- kind, a cohort, a boot id; '' for kinds with one finding per host).
ALTER TABLE findings
    ADD COLUMN subject         text        NOT NULL DEFAULT '',
    ADD COLUMN updated_at      timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN suppressed_by   text,
    ADD COLUMN suppressed_at   timestamptz,
    ADD COLUMN suppress_reason text;
CREATE UNIQUE INDEX findings_live_subject ON findings (host_id, kind, subject) WHERE status <> 'RESOLVED';
CREATE INDEX findings_live_kind_subject ON findings (kind, subject) WHERE status <> 'RESOLVED';
CREATE INDEX findings_host_id ON findings (host_id, id);

-- What an image says about itself (catalog deviations, structural anomalies), computed once per distinct image.
CREATE TABLE image_verdicts (
    image_sha256 text        PRIMARY KEY REFERENCES images (sha256),
    findings     jsonb       NOT NULL,
    computed_at  timestamptz NOT NULL DEFAULT now()
);

-- An admin's decision about a normalized image: the CPU-patched variants of one build share it.
CREATE TABLE image_trust (
    normalized_sha256 text        PRIMARY KEY CHECK (normalized_sha256 ~ '^[0-9a-f]{64}$'),
    verdict           text        NOT NULL CHECK (verdict IN ('TRUSTED', 'BLOCKED')),
    build_id          text,
    note              text        NOT NULL,
    decided_by        text        NOT NULL,
    decided_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX image_trust_build_id ON image_trust (build_id);

-- A vdso*.so imported from a kernel build or package as the trusted image of a kernel identity.
CREATE TABLE reference_images (
    id                bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kernel_release    text        NOT NULL,
    kernel_version    text        NOT NULL,
    arch              text        NOT NULL,
    sha256            text        NOT NULL,
    normalized_sha256 text        NOT NULL,
    build_id          text,
    image_arch        text        NOT NULL,
    bytes             bytea       NOT NULL,
    imported_by       text        NOT NULL,
    imported_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (kernel_release, kernel_version, arch, normalized_sha256)
);

-- The state detection last evaluated for each host: a heartbeat that matches it costs one indexed read.
-- seen_* is the last analysed observation (normalized image, boot, kernel) that drift rules compare with;
-- the cohort columns are the host's membership, counted in cohort_variants.
CREATE TABLE host_detection (
    host_id            bigint      PRIMARY KEY REFERENCES hosts (id),
    image_sha256       text,
    image_analyzed     boolean     NOT NULL,
    boot_id            text,
    kernel             text,
    process_mismatches integer,
    seen_normalized    text,
    seen_boot_id       text,
    seen_kernel        text,
    build_cohort       text,
    build_variant      text,
    kernel_cohort      text,
    kernel_variant     text,
    evaluated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX host_detection_build ON host_detection (build_cohort, build_variant);
CREATE INDEX host_detection_kernel ON host_detection (kernel_cohort, kernel_variant);

-- Hosts per variant of each cohort (build:<vDSO build-id> -> normalizedSha256; kernel:<release, version, arch>
-- -> vDSO build-id), maintained as hosts join and leave: no count ever scans the fleet.
CREATE TABLE cohort_variants (
    cohort  text   NOT NULL,
    variant text   NOT NULL,
    hosts   bigint NOT NULL CHECK (hosts >= 0),
    PRIMARY KEY (cohort, variant)
);
CREATE INDEX cohort_variants_variant ON cohort_variants (variant);

-- The baseline each cohort was last evaluated against; a change re-evaluates the cohort.
CREATE TABLE cohorts (
    cohort     text        PRIMARY KEY,
    baseline   text[]      NOT NULL,
    source     text        NOT NULL CHECK (source IN ('TRUSTED', 'MAJORITY', 'NONE')),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Webhook deliveries, written in the transaction that opens the finding, sent by a background dispatcher.
CREATE TABLE webhook_outbox (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    url             text        NOT NULL,
    finding_id      bigint      NOT NULL REFERENCES findings (id),
    payload         text        NOT NULL,
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error      text,
    delivered_at    timestamptz,
    failed_at       timestamptz
);
CREATE INDEX webhook_outbox_due ON webhook_outbox (url, next_attempt_at) WHERE delivered_at IS NULL AND failed_at IS NULL;
