-- design robust: what "one statement" is.
--
-- PostgreSQL exposes no statement counter, and statement_timestamp() is per client message (and
-- only millisecond-distinct under PGlite). But the executor guarantees an order we can use: for one
-- query, every BEFORE STATEMENT trigger (one per table and event the query writes, including every
-- table of a writable CTE and both events of INSERT ... ON CONFLICT DO UPDATE or MERGE) fires before
-- any of its AFTER STATEMENT triggers, each table and event gets exactly one AFTER STATEMENT trigger
-- call (transition tables make PostgreSQL merge repeated ones), and the next query's BEFORE triggers
-- fire only after they are all done.
--
-- So one session setting, turbo.statement, is enough: '<open>|<pending>'. <open> is the set of
-- (table, event) whose BEFORE trigger fired and whose AFTER trigger has not yet; <pending> is the
-- (tenant, domain) pairs the statement touched so far. The first BEFORE trigger that finds <open>
-- empty starts a new statement. Each AFTER trigger adds its pairs and takes its (table, event) out;
-- the one that leaves <open> empty is the statement's last, and bumps every pending pair at once.
--
-- Bumping once at the end, rather than in each AFTER trigger, is what makes the lock order global:
-- a writable CTE or an upsert touches version rows for several tables and events, and bumping them
-- table by table (each sorted) let two such statements lock the same rows in opposite orders and
-- deadlock (found by `turbo-sim concurrency --workload statements` on PostgreSQL 15).
--
-- The setting is set with is_local = false, which PostgreSQL still rolls back with the transaction or
-- savepoint that set it: a failed statement cannot leave a statement open.
--
-- A tv_ write nested inside another tv_ statement (a foreign key's ON DELETE / ON UPDATE CASCADE,
-- a function called from an INSERT's SELECT) opens while the outer statement is open, so it is
-- counted as part of it: what the specification says (README). A tv_ write nested in a statement on
-- a table without these triggers (a base table's sync trigger) finds nothing open: its own statement.
CREATE FUNCTION turbo.fn_robust_statement_start() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    v_state text := coalesce(current_setting('turbo.statement', true), '');
    v_open text := split_part(v_state, '|', 1);
    v_token text := TG_RELID::text || TG_OP;
BEGIN
    IF v_open = '' THEN
        PERFORM set_config('turbo.statement', v_token || '|', false);
    ELSIF NOT (v_token = ANY (string_to_array(v_open, ' '))) THEN
        PERFORM set_config('turbo.statement', v_open || ' ' || v_token || '|' || split_part(v_state, '|', 2), false);
    END IF;
    RETURN NULL;
END $$;

-- <pending> with the pairs (tenant, p_domain) of p_tenants added.
CREATE FUNCTION turbo.fn_robust_add_pairs(p_pending text, p_domain text, p_tenants uuid[]) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT concat_ws(',', nullif(p_pending, ''),
        (SELECT string_agg(t::text || '/' || p_domain, ',') FROM unnest(p_tenants) AS t))
$$;

-- Adds pairs to the open statement (BEFORE TRUNCATE, whose rows are gone by its AFTER trigger).
CREATE FUNCTION turbo.fn_robust_collect(p_domain text, p_tenants uuid[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_state text := coalesce(current_setting('turbo.statement', true), '');
BEGIN
    PERFORM set_config('turbo.statement', split_part(v_state, '|', 1) || '|'
        || turbo.fn_robust_add_pairs(split_part(v_state, '|', 2), p_domain, p_tenants), false);
END $$;

-- An AFTER STATEMENT trigger's part: its pairs join the statement's, its (table, event) closes, and
-- the last one to close bumps them all (20-bump.sql).
--
-- Most statements write one table with one event and collect nothing before their AFTER trigger:
-- their state is exactly '<token>|', which one comparison recognises, and they bump their own
-- tenants at once, with no set arithmetic and no pair list to build and parse.
CREATE FUNCTION turbo.fn_robust_after(p_token text, p_domain text, p_tenants uuid[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_state text := current_setting('turbo.statement', true);
    v_open text;
    v_pending text;
BEGIN
    IF v_state = p_token || '|' THEN
        PERFORM set_config('turbo.statement', '', false);
        PERFORM turbo.fn_robust_bump_domain(p_domain, p_tenants);
        RETURN;
    END IF;
    v_open := array_to_string(array_remove(string_to_array(split_part(v_state, '|', 1), ' '), p_token), ' ');
    v_pending := turbo.fn_robust_add_pairs(split_part(v_state, '|', 2), p_domain, p_tenants);
    IF v_open = '' THEN
        PERFORM turbo.fn_robust_bump(v_pending);
        PERFORM set_config('turbo.statement', '', false);
    ELSE
        PERFORM set_config('turbo.statement', v_open || '|' || v_pending, false);
    END IF;
END $$;
