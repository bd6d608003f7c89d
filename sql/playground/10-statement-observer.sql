-- Playground only (never part of `turbo-sim sql` or a check): what a learner's own SQL must bump.
-- A typed statement has no workload for the reference model to plan, so the playground asks
-- PostgreSQL which statements ran and which (tenant, domain) each one touched, and the model's
-- cascade (bumpsFor) turns that into the versions expected.
--
-- The same executor order robust relies on tells one statement from the next: every BEFORE
-- STATEMENT trigger of a query fires before any of its AFTER STATEMENT triggers, and each (table,
-- event) gets one AFTER STATEMENT call. A BEFORE trigger that finds no (table, event) open starts
-- a statement; each AFTER trigger writes the tenants of its transition table under that
-- statement's id. A tv_ write nested in another tv_ statement (a foreign key's cascade) is part of
-- it, as the specification says. Rows written here roll back with the statement, savepoint or
-- transaction that wrote them: a rolled-back statement must bump nothing.
CREATE TABLE turbo_sim.touched (
    statement bigint NOT NULL,
    tenant_id uuid NOT NULL,
    domain text NOT NULL
);
CREATE SEQUENCE turbo_sim.statement_id;

CREATE FUNCTION turbo_sim.fn_observe_open() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    v_open text[] := string_to_array(coalesce(current_setting('turbo_sim.open', true), ''), ',');
    v_token text := TG_RELID::text || TG_OP;
BEGIN
    IF cardinality(v_open) = 0 THEN
        PERFORM set_config('turbo_sim.statement', nextval('turbo_sim.statement_id')::text, false);
    END IF;
    IF NOT v_token = ANY (v_open) THEN
        PERFORM set_config('turbo_sim.open', array_to_string(v_open || v_token, ','), false);
    END IF;
    RETURN NULL;
END $$;

-- Takes this (table, event) out of the open set, once its tenants are written.
CREATE FUNCTION turbo_sim.fn_observe_close(p_token text) RETURNS void
LANGUAGE sql AS $$
    SELECT set_config('turbo_sim.open', array_to_string(array_remove(
        string_to_array(current_setting('turbo_sim.open'), ','), p_token), ','), false)
$$;

-- An INSERT's new rows or a DELETE's old ones: both triggers name their transition table changed_rows.
CREATE FUNCTION turbo_sim.fn_observe_rows() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO turbo_sim.touched
    SELECT DISTINCT current_setting('turbo_sim.statement')::bigint, tenant_id, TG_ARGV[0] FROM changed_rows;
    PERFORM turbo_sim.fn_observe_close(TG_RELID::text || TG_OP);
    RETURN NULL;
END $$;

-- An UPDATE touches the tenants its rows had and the ones they have now (a row moved to another tenant).
CREATE FUNCTION turbo_sim.fn_observe_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO turbo_sim.touched
    SELECT current_setting('turbo_sim.statement')::bigint, t, TG_ARGV[0]
    FROM (SELECT tenant_id FROM old_rows UNION SELECT tenant_id FROM new_rows) AS r(t);
    PERFORM turbo_sim.fn_observe_close(TG_RELID::text || TG_OP);
    RETURN NULL;
END $$;

-- TRUNCATE has no transition table: its tenants are read before it empties the table.
CREATE FUNCTION turbo_sim.fn_observe_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_WHEN = 'BEFORE' THEN
        EXECUTE format('INSERT INTO turbo_sim.touched SELECT DISTINCT %s, tenant_id, %L FROM %I.%I',
            current_setting('turbo_sim.statement')::bigint, TG_ARGV[0], TG_TABLE_SCHEMA, TG_TABLE_NAME);
    ELSE
        PERFORM turbo_sim.fn_observe_close(TG_RELID::text || TG_OP);
    END IF;
    RETURN NULL;
END $$;

-- BEFORE triggers fire in name order: the statement is open before TRUNCATE reads its tenants.
SELECT turbo.fn_for_each_tv_table($t$
    CREATE TRIGGER tr_turbo_sim_observe_0 BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON %1$s
        FOR EACH STATEMENT EXECUTE FUNCTION turbo_sim.fn_observe_open();
    CREATE TRIGGER tr_turbo_sim_observe_1 BEFORE TRUNCATE ON %1$s
        FOR EACH STATEMENT EXECUTE FUNCTION turbo_sim.fn_observe_truncate(%2$L);
    CREATE TRIGGER tr_turbo_sim_observe_insert AFTER INSERT ON %1$s REFERENCING NEW TABLE AS changed_rows
        FOR EACH STATEMENT EXECUTE FUNCTION turbo_sim.fn_observe_rows(%2$L);
    CREATE TRIGGER tr_turbo_sim_observe_update AFTER UPDATE ON %1$s
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION turbo_sim.fn_observe_update(%2$L);
    CREATE TRIGGER tr_turbo_sim_observe_delete AFTER DELETE ON %1$s REFERENCING OLD TABLE AS changed_rows
        FOR EACH STATEMENT EXECUTE FUNCTION turbo_sim.fn_observe_rows(%2$L);
    CREATE TRIGGER tr_turbo_sim_observe_truncate AFTER TRUNCATE ON %1$s
        FOR EACH STATEMENT EXECUTE FUNCTION turbo_sim.fn_observe_truncate(%2$L)
$t$);
