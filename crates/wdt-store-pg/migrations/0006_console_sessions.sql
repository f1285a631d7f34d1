-- Console sessions, kept in the database so that every server over it knows them: a login
-- inserts one, logging out deletes it, and one past `expires` (epoch ms, real time) no longer
-- opens the console. `digest` is an HMAC of the random id in the cookie keyed by the admin
-- token: the table holds no working cookie, and changing the token ends every session.
CREATE TABLE console_sessions (
    digest   TEXT PRIMARY KEY,
    created  BIGINT NOT NULL,
    expires  BIGINT NOT NULL
);
CREATE INDEX console_sessions_expires ON console_sessions (expires);
