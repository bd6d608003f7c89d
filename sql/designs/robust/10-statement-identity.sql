-- design robust: what "one statement" is.
--
-- PostgreSQL exposes no statement counter, and statement_timestamp() is per client message (and
-- only millisecond-distinct under PGlite). But the executor guarantees an order we can use: for one
-- query, every BEFORE STATEMENT trigger (one per table and event the query writes, including every
-- table of a writable CTE and both events of INSERT ... ON CONFLICT DO UPDATE) fires before any of
-- its AFTER STATEMENT triggers, and the next query's BEFORE triggers fire only after they are done.
-- So a session setting with two phases is enough: the first BEFORE after an AFTER opens a new
-- statement; every AFTER of that statement shares it.
--
-- The setting is set with is_local = false, which PostgreSQL still rolls back with the transaction or
-- savepoint that set it: a failed statement cannot leave the phase stuck at 'open'.
--
-- Known limit, kept exact in the model: a tv_ write nested inside another tv_ write's statement
-- (a function called from an INSERT's SELECT that itself writes a tv_ table) is counted as part of
-- the enclosing statement.
CREATE FUNCTION turbo.fn_robust_statement_start() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('turbo.statement_phase', true) IS DISTINCT FROM 'open' THEN
        PERFORM set_config('turbo.statement_phase', 'open', false);
        PERFORM set_config('turbo.statement_bumped', '', false);
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION turbo.fn_robust_statement_end() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('turbo.statement_phase', 'closing', false);
    RETURN NULL;
END $$;
