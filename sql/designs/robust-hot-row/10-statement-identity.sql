-- design robust-hot-row (robust extends it): what "one statement" is.
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
--
-- Measured on PGlite and PostgreSQL 15: a single-row statement runs every trigger in a transaction of
-- its own, where PL/pgSQL prepares each expression and function it reaches anew, so the common
-- statement's path (one table, one event) is kept to few expressions and no nested function call.

-- A statement's first BEFORE trigger finds the setting empty and needs one set_config; only a
-- statement writing several tables or events goes through the set arithmetic.
CREATE FUNCTION turbo.fn_robust_statement_start() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('turbo.statement', true) <> '' THEN
        PERFORM set_config('turbo.statement',
            turbo.fn_robust_opened(current_setting('turbo.statement'), TG_RELID::text || TG_OP), false);
    ELSE
        PERFORM set_config('turbo.statement', TG_RELID::text || TG_OP || '|', false);
    END IF;
    RETURN NULL;
END $$;

-- The functions below are single expressions with no subquery, marked STABLE like everything they
-- call (array_to_string is): the planner inlines them into the caller's expression instead of
-- calling them. An IMMUTABLE one calling a STABLE function would not be inlined.

-- The state with one more (table, event) open; an open one stays once.
CREATE FUNCTION turbo.fn_robust_opened(p_state text, p_token text) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN p_token = ANY (string_to_array(split_part(p_state, '|', 1), ' ')) THEN p_state
                ELSE p_token || ' ' || p_state END
$$;

-- <pending> with the pairs of p_tenants and p_targets[1] (the domain; its cascade targets follow).
CREATE FUNCTION turbo.fn_robust_add_pairs(p_pending text, p_targets text[], p_tenants uuid[]) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT concat_ws(',', nullif(p_pending, ''), CASE WHEN cardinality(p_tenants) > 0 THEN
        array_to_string(p_tenants, '/' || array_to_string(p_targets, ':') || ',') || '/' || array_to_string(p_targets, ':') END)
$$;

-- The open set without one (table, event).
CREATE FUNCTION turbo.fn_robust_close(p_open text, p_token text) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT array_to_string(array_remove(string_to_array(p_open, ' '), p_token), ' ')
$$;

-- The state once an AFTER trigger closed its (table, event) and added its pairs.
CREATE FUNCTION turbo.fn_robust_closed(p_state text, p_token text, p_targets text[], p_tenants uuid[]) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT turbo.fn_robust_close(split_part(p_state, '|', 1), p_token) || '|'
        || turbo.fn_robust_add_pairs(split_part(p_state, '|', 2), p_targets, p_tenants)
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

-- An AFTER STATEMENT trigger's part when the statement is not the common one (30-triggers.sql
-- bumps a statement of one table and one event itself): its pairs join the statement's, its
-- (table, event) closes, and the last one to close bumps them all (20-bump.sql).
CREATE FUNCTION turbo.fn_robust_after(p_token text, p_targets text[], p_tenants uuid[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_state text := turbo.fn_robust_closed(current_setting('turbo.statement', true), p_token, p_targets, p_tenants);
BEGIN
    IF starts_with(v_state, '|') THEN
        PERFORM set_config('turbo.statement', '', false);
        PERFORM turbo.fn_robust_bump(substr(v_state, 2));
    ELSE
        PERFORM set_config('turbo.statement', v_state, false);
    END IF;
END $$;
