-- The read-only guard of `hasila sql` (ingest/sql.py GUARDED_CONFIG) as statements, for a client that
-- runs an init script before the user's queries: Harlequin
--   harlequin -r --init-path docs/read_only_guard.sql warehouse.duckdb
-- After it no statement can read or write other files, attach a database, install or load an
-- extension, or change a setting. The lock comes last: it also locks these settings.
-- Not for the DuckDB CLI's -init: the CLI (1.5.6) changes a setting of its own after the init file
-- and stops at the lock ("the configuration has been locked"). Give it the same statements with -cmd.
-- No semicolon in these comments: Harlequin splits the script at every one.
SET enable_external_access = false;
SET autoinstall_known_extensions = false;
SET autoload_known_extensions = false;
SET allow_community_extensions = false;
SET lock_configuration = true;
