-- The inventory: content-addressed images, hosts with their current state, an append-only history,
-- credentials (hashed only) and report ids for idempotent ingest. Merged migrations never change.

-- One row per distinct captured vDSO, keyed by the SHA-256 of exactly the captured bytes. The bytes are kept
-- for download and re-analysis; a malformed image is kept as evidence with its parse error.
CREATE TABLE images (
    sha256            text        PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    status            text        NOT NULL CHECK (status IN ('ANALYZED', 'MALFORMED')),
    parse_error       text,
    size              integer     NOT NULL CHECK (size >= 0),
    bytes             bytea       NOT NULL,
    normalized_sha256 text,
    build_id          text,
    elf_class         smallint,
    byte_order        text,
    machine           integer,
    arch              text,
    soname            text,
    versions          text[]      NOT NULL DEFAULT '{}',
    anomalies         jsonb       NOT NULL DEFAULT '[]',
    first_seen        timestamptz NOT NULL DEFAULT now(),
    CHECK (status = 'MALFORMED' OR normalized_sha256 IS NOT NULL)
);
CREATE INDEX images_normalized_sha256 ON images (normalized_sha256);
CREATE INDEX images_build_id ON images (build_id);

-- Every .dynsym entry of an analysed image. GET /hosts?symbol=... starts here: name -> images.
CREATE TABLE image_symbols (
    image_sha256  text     NOT NULL REFERENCES images (sha256),
    symbol_index  integer  NOT NULL,
    name          text     NOT NULL,
    version       text,
    hidden        boolean  NOT NULL,
    defined       boolean  NOT NULL,
    value         bigint   NOT NULL,
    size          bigint   NOT NULL,
    type          smallint NOT NULL,
    binding       smallint NOT NULL,
    section_index integer  NOT NULL,
    PRIMARY KEY (image_sha256, symbol_index)
);
CREATE INDEX image_symbols_name ON image_symbols (name, image_sha256) WHERE defined;

-- Current state of each host. image_sha256 names the reported image, whose bytes may not have arrived yet
-- (hence no foreign key); the reported_* columns are the agent's claims, shown until the bytes are analysed.
CREATE TABLE hosts (
    id                         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    host_key                   text        NOT NULL UNIQUE,
    hostname                   text        NOT NULL,
    labels                     jsonb       NOT NULL DEFAULT '{}',
    kernel_release             text,
    kernel_version             text,
    arch                       text,
    kernel_build_id            text,
    boot_id                    text,
    image_sha256               text,
    reported_normalized_sha256 text,
    reported_build_id          text,
    reported_size              integer,
    processes_scanned          integer,
    process_mismatches         integer,
    first_seen                 timestamptz NOT NULL DEFAULT now(),
    last_seen                  timestamptz NOT NULL DEFAULT now(),
    changed_at                 timestamptz NOT NULL DEFAULT now()
);
-- symbol -> images -> hosts by current image, in id order for the keyset cursor
CREATE INDEX hosts_image_id ON hosts (image_sha256, id);
CREATE INDEX hosts_kernel_release_id ON hosts (kernel_release, id);
CREATE INDEX hosts_arch_id ON hosts (arch, id);
CREATE INDEX hosts_changed_at ON hosts (changed_at);
CREATE INDEX hosts_labels ON hosts USING gin (labels jsonb_path_ops);

-- The append-only timeline of each host.
CREATE TABLE host_events (
    id      bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    host_id bigint      NOT NULL REFERENCES hosts (id),
    at      timestamptz NOT NULL DEFAULT now(),
    kind    text        NOT NULL,
    detail  jsonb       NOT NULL DEFAULT '{}'
);
CREATE INDEX host_events_host_id ON host_events (host_id, id);

-- Findings are written by detection; the query API reads the open ones (kind, severity) per host.
CREATE TABLE findings (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    host_id     bigint      NOT NULL REFERENCES hosts (id),
    kind        text        NOT NULL,
    severity    text        NOT NULL,
    status      text        NOT NULL CHECK (status IN ('OPEN', 'RESOLVED', 'SUPPRESSED')),
    evidence    jsonb       NOT NULL DEFAULT '{}',
    opened_at   timestamptz NOT NULL DEFAULT now(),
    resolved_at timestamptz
);
CREATE INDEX findings_open_host ON findings (host_id, kind) WHERE status = 'OPEN';
CREATE INDEX findings_open_kind ON findings (kind, host_id) WHERE status = 'OPEN';

-- Credentials are stored as SHA-256 of the token: a database dump does not reveal them.
CREATE TABLE node_keys (
    key_hash   text        PRIMARY KEY,
    host_id    bigint      NOT NULL REFERENCES hosts (id),
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE api_tokens (
    token_hash text        PRIMARY KEY,
    name       text        NOT NULL,
    role       text        NOT NULL CHECK (role IN ('VIEWER', 'ADMIN')),
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Ids of the reports that changed a host's state: a retry of one is answered, not applied twice. Steady
-- heartbeats are not remembered (applying one again changes nothing), so this grows with changes only.
CREATE TABLE reports (
    report_id   uuid        PRIMARY KEY,
    host_id     bigint      NOT NULL REFERENCES hosts (id),
    received_at timestamptz NOT NULL DEFAULT now()
);
