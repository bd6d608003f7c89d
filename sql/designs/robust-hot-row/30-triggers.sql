-- design robust-hot-row (robust extends it): statement-level triggers with transition tables.
--
-- One trigger call per statement instead of one per row: the tenants come from the transition
-- tables (both OLD and NEW for an UPDATE, so a row moved to another tenant invalidates both).
-- TRUNCATE has no transition table and fires no row trigger, so its BEFORE trigger reads the
-- tenants that are about to disappear.
--
-- Every trigger but the statement start carries its table's domain and that domain's cascade
-- targets as its arguments (fn_robust_trigger_args), and is re-attached when
-- turbo.tb_domain_dependency changes (below).

-- The AFTER trigger of each event, fn_robust_after_<event>. Most statements write one table with
-- one event (a single-row statement always does): their state is exactly '<token>|', which one
-- comparison recognises, and they bump the domain and its targets (the trigger's arguments) for
-- every tenant of the transition table in one statement. Every other statement goes through
-- turbo.fn_robust_after (10-statement-identity.sql).
--
-- The three functions differ only in where their tenants come from, so they are made from one text:
-- a transition table can be read only inside the trigger function itself. This replaced one
-- function for every event that read the tenants into an array and called a bump function with it;
-- on 500 single-row statements into tv_contract (PGlite, CPU time over no trigger) INSERT went from
-- about 400 to 330 microseconds a statement and UPDATE from 400 to 345, level with the naive per-row
-- bump (docs/single-row.md).
--
-- Neither statement that reads the transition table has a parameter: the bump takes the targets
-- from the setting turbo.targets, set just before, and the general path reads the tenants into a
-- variable first. A statement with parameters gets custom plans for the values at hand whenever they
-- look cheaper than its generic plan, and a transition table's size is part of that estimate: a
-- generic plan first built for a 10,000-row statement never looks cheaper again, so every later
-- single-row statement was planned anew (a loop of 1000 single-row INSERTs into tv_price in a DO
-- block took 420 ms instead of 125; after a few 100-row statements a single-row INSERT took 480
-- microseconds of CPU instead of 290). A statement with no parameter is planned once.
--
-- Made by fn_robust_define_after, which a design that bumps differently runs again once it has
-- replaced fn_robust_bump_sql (CREATE OR REPLACE keeps the triggers attached).
CREATE FUNCTION turbo.fn_robust_define_after() RETURNS void
LANGUAGE plpgsql AS $do$
DECLARE
    e record;
BEGIN
    -- Each event's tenants, each once.
    FOR e IN VALUES ('insert', 'SELECT DISTINCT tenant_id FROM new_rows'),
                    ('update', 'SELECT tenant_id FROM old_rows UNION SELECT tenant_id FROM new_rows'),
                    ('delete', 'SELECT DISTINCT tenant_id FROM old_rows')
    LOOP
        EXECUTE format($f$CREATE OR REPLACE FUNCTION turbo.fn_robust_after_%1$s() RETURNS trigger
LANGUAGE plpgsql AS $b$
DECLARE
    v_tenants uuid[];
BEGIN
    IF current_setting('turbo.statement', true) = TG_RELID::text || '%2$s|' THEN
        PERFORM set_config('turbo.statement', '', false);
        PERFORM set_config('turbo.targets', array_to_string(TG_ARGV, ','), false);
        %3$s;
    ELSE
        v_tenants := ARRAY(%4$s);
        PERFORM turbo.fn_robust_after(TG_RELID::text || TG_OP, TG_ARGV, v_tenants);
    END IF;
    RETURN NULL;
END $b$$f$, e.column1, upper(e.column1),
            turbo.fn_robust_bump_sql(format('(%s) AS n(t), unnest(string_to_array(current_setting(''turbo.targets''), '','')) AS d', e.column2),
                $s$'write to tv_' || split_part(current_setting('turbo.targets'), ',', 1)$s$),
            e.column2);
    END LOOP;
END $do$;

SELECT turbo.fn_robust_define_after();

-- TRUNCATE's tenants were collected by its BEFORE trigger.
CREATE FUNCTION turbo.fn_robust_after_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM turbo.fn_robust_after(TG_RELID::text || TG_OP, TG_ARGV, '{}');
    RETURN NULL;
END $$;

CREATE FUNCTION turbo.fn_robust_before_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    v_tenants uuid[];
BEGIN
    EXECUTE format('SELECT ARRAY(SELECT DISTINCT tenant_id FROM %I.%I)', TG_TABLE_SCHEMA, TG_TABLE_NAME)
        INTO v_tenants;
    PERFORM turbo.fn_robust_collect(TG_ARGV, v_tenants);
    RETURN NULL;
END $$;

-- Attaches the design to one tv_ table; call it for tv_ tables created after the design.
CREATE FUNCTION turbo.fn_robust_attach(p_table regclass) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_domain text := (SELECT regexp_replace(relname, '^tv_', '') FROM pg_class WHERE oid = p_table);
    v_args text := turbo.fn_robust_trigger_args(v_domain);
    v_after text := format('ON %s %%s FOR EACH STATEMENT EXECUTE FUNCTION turbo.fn_robust_after_%%s(%s)', p_table, v_args);
BEGIN
    -- BEFORE triggers fire in name order: the statement is opened before TRUNCATE reads its tenants.
    EXECUTE format('CREATE TRIGGER tr_robust_0_statement_start BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON %s
        FOR EACH STATEMENT EXECUTE FUNCTION turbo.fn_robust_statement_start()', p_table);
    EXECUTE format('CREATE TRIGGER tr_robust_1_before_truncate BEFORE TRUNCATE ON %s
        FOR EACH STATEMENT EXECUTE FUNCTION turbo.fn_robust_before_truncate(%s)', p_table, v_args);
    EXECUTE 'CREATE TRIGGER tr_robust_after_insert AFTER INSERT '
        || format(v_after, 'REFERENCING NEW TABLE AS new_rows', 'insert');
    EXECUTE 'CREATE TRIGGER tr_robust_after_update AFTER UPDATE '
        || format(v_after, 'REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows', 'update');
    EXECUTE 'CREATE TRIGGER tr_robust_after_delete AFTER DELETE '
        || format(v_after, 'REFERENCING OLD TABLE AS old_rows', 'delete');
    EXECUTE 'CREATE TRIGGER tr_robust_after_truncate AFTER TRUNCATE ' || format(v_after, '', 'truncate');
END $$;

SELECT turbo.fn_for_each_tv_table('SELECT turbo.fn_robust_attach(%1$L)');

-- Recreates the triggers named LIKE p_triggers on every tv_ table whose definitions match p_pattern,
-- rewritten by regexp_replace(definition, p_pattern, format(p_replacement, <arguments of the table's
-- domain>)): what keeps the targets the triggers carry current, and how a mutant changes them.
CREATE FUNCTION turbo.fn_robust_redefine(p_triggers text, p_pattern text, p_replacement text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    t record;
BEGIN
    FOR t IN
        SELECT g.tgname, g.tgrelid::regclass AS tbl, pg_get_triggerdef(g.oid) AS def,
               turbo.fn_robust_trigger_args(regexp_replace(c.relname, '^tv_', '')) AS args
        FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid
        WHERE g.tgname LIKE p_triggers AND c.relname LIKE 'tv\_%' AND pg_table_is_visible(c.oid)
          AND pg_get_triggerdef(g.oid) ~ p_pattern
        ORDER BY c.relname, g.tgname
    LOOP
        EXECUTE format('DROP TRIGGER %I ON %s', t.tgname, t.tbl);
        EXECUTE regexp_replace(t.def, p_pattern, format(p_replacement, t.args));
    END LOOP;
END $$;

-- A change to the cascade graph re-attaches the triggers with the new targets, in the same
-- transaction. ENABLE ALWAYS: an edit made with session_replication_role = replica counts too.
CREATE FUNCTION turbo.fn_robust_retarget() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM turbo.fn_robust_redefine('tr\_robust\_%', 'EXECUTE FUNCTION ([^(]+)\(.+\)$', 'EXECUTE FUNCTION \1(%s)');
    RETURN NULL;
END $$;

CREATE TRIGGER tr_robust_retarget AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON turbo.tb_domain_dependency
FOR EACH STATEMENT EXECUTE FUNCTION turbo.fn_robust_retarget();
ALTER TABLE turbo.tb_domain_dependency ENABLE ALWAYS TRIGGER tr_robust_retarget;
