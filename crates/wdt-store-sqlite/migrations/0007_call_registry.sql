-- Calls shared by every server over one database: the replay registry (a signed request seen
-- again inside its timestamp window is answered with the first call's saved answer) and the
-- per-key limits (calls per minute, calls in flight).

-- One row per signed write call still inside its window: claimed (answer NULL) before the call
-- runs, its answer saved after. `expires` (epoch ms) is the end of the request's timestamp
-- window plus a margin; expired rows are taken over by a new claim or pruned.
CREATE TABLE call_registry (
    sid      TEXT NOT NULL,
    dialect  TEXT NOT NULL,
    app_key  TEXT NOT NULL,
    digest   TEXT NOT NULL,
    answer   TEXT,
    expires  INTEGER NOT NULL,
    PRIMARY KEY (sid, dialect, app_key, digest)
) STRICT;
CREATE INDEX call_registry_expires ON call_registry (expires);

-- Calls admitted per key in its current clock minute (one row per key, locked by the upsert
-- that admits a call, so admissions of one key are serialised across servers).
CREATE TABLE call_minutes (
    sid      TEXT NOT NULL,
    app_key  TEXT NOT NULL,
    minute   INTEGER NOT NULL,
    calls    INTEGER NOT NULL,
    PRIMARY KEY (sid, app_key)
) STRICT;

-- Calls in flight, one row each, held until the call ends or `expires` (epoch ms) passes: a
-- server that dies mid-call gives its permits back when their lease runs out.
CREATE TABLE call_leases (
    id       INTEGER PRIMARY KEY,
    sid      TEXT NOT NULL,
    app_key  TEXT NOT NULL,
    expires  INTEGER NOT NULL
) STRICT;
CREATE INDEX call_leases_key ON call_leases (sid, app_key, expires);
