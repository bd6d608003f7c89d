-- design robust: what "one statement" is.
--
-- PostgreSQL exposes no statement counter, and statement_timestamp() is per client message (and
-- only millisecond-distinct under PGlite). But the executor guarantees an order we can use: for one
-- query, every BEFORE STATEMENT trigger (one per table and event the query writes, including every
-- table of a writable CTE and both events of INSERT ... ON CONFLICT DO UPDATE) fires before any of
-- its AFTER STATEMENT triggers, and the next query's BEFORE triggers fire only after they are done.
--
-- So one session setting, turbo.statement, is enough. Its first character is the phase: '+' while a
-- statement is open (between its first BEFORE and first AFTER trigger), '-' once its AFTER triggers
-- have started. The rest is the (tenant:domain) pairs this statement has bumped so far, so that its
-- later AFTER triggers (writable CTE, upsert, multi-table TRUNCATE) skip them. The first BEFORE
-- trigger that finds '-' (or nothing) opens a new statement with an empty list.
--
-- The setting is set with is_local = false, which PostgreSQL still rolls back with the transaction or
-- savepoint that set it: a failed statement cannot leave the phase stuck at '+'.
--
-- Known limit, kept exact in the model: a tv_ write nested inside another tv_ write's statement
-- (a function called from an INSERT's SELECT that itself writes a tv_ table) is counted as part of
-- the enclosing statement.
CREATE FUNCTION turbo.fn_robust_statement_start() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF left(current_setting('turbo.statement', true), 1) IS DISTINCT FROM '+' THEN
        PERFORM set_config('turbo.statement', '+', false);
    END IF;
    RETURN NULL;
END $$;

-- After TRUNCATE: the bumps were made before the rows went; only the phase changes.
CREATE FUNCTION turbo.fn_robust_statement_end() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('turbo.statement', '-' || substr(current_setting('turbo.statement', true), 2), false);
    RETURN NULL;
END $$;
