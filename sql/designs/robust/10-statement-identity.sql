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
-- (tenant, domain) pairs the statement touched so far, each with the domain's cascade targets, as
-- comma-separated 'tenant/domain:target:target' items (repeats allowed). Every trigger carries its
-- domain and targets as arguments (30-triggers.sql), so the statement's last trigger can bump them
-- without reading turbo.tb_domain_dependency: a query that joins it is planned anew on every call
-- (PostgreSQL keeps the custom plan, which estimates it better than the generic one), and on PGlite
-- that planning was most of the cost of a DELETE whose foreign key cascade made it take this path.
-- The first BEFORE trigger that finds <open> empty starts a new statement. Each AFTER trigger adds
-- its pairs and takes its (table, event) out; the one that leaves <open> empty is the statement's
-- last, and bumps every pending pair at once.
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

-- <pending> with the pairs of p_tenants and p_targets[0] (the domain; its cascade targets follow)
-- added. One expression with no subquery, like fn_robust_close below, which the planner can inline
-- into the caller's expression rather than run as a function call.
CREATE FUNCTION turbo.fn_robust_add_pairs(p_pending text, p_targets text[], p_tenants uuid[]) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT concat_ws(',', nullif(p_pending, ''), CASE WHEN cardinality(p_tenants) > 0 THEN
        array_to_string(p_tenants, '/' || array_to_string(p_targets, ':') || ',') || '/' || array_to_string(p_targets, ':') END)
$$;

-- Adds pairs to the open statement (BEFORE TRUNCATE, whose rows are gone by its AFTER trigger).
CREATE FUNCTION turbo.fn_robust_collect(p_targets text[], p_tenants uuid[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_state text := coalesce(current_setting('turbo.statement', true), '');
BEGIN
    PERFORM set_config('turbo.statement', split_part(v_state, '|', 1) || '|'
        || turbo.fn_robust_add_pairs(split_part(v_state, '|', 2), p_targets, p_tenants), false);
END $$;

-- The open set without one (table, event).
CREATE FUNCTION turbo.fn_robust_close(p_open text, p_token text) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT array_to_string(array_remove(string_to_array(p_open, ' '), p_token), ' ')
$$;

-- An AFTER STATEMENT trigger's part when the statement is not the common one (30-triggers.sql
-- handles a statement of one table, one event and at most one tenant itself): its pairs join the
-- statement's, its (table, event) closes, and the last one to close bumps them all (20-bump.sql).
CREATE FUNCTION turbo.fn_robust_after(p_token text, p_targets text[], p_tenants uuid[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_state text := coalesce(current_setting('turbo.statement', true), '');
    v_open text := turbo.fn_robust_close(split_part(v_state, '|', 1), p_token);
    v_pending text := turbo.fn_robust_add_pairs(split_part(v_state, '|', 2), p_targets, p_tenants);
BEGIN
    IF v_open = '' THEN
        PERFORM turbo.fn_robust_bump(v_pending);
        PERFORM set_config('turbo.statement', '', false);
    ELSE
        PERFORM set_config('turbo.statement', v_open || '|' || v_pending, false);
    END IF;
END $$;
