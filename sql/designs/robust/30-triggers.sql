-- design robust: statement-level triggers with transition tables.
--
-- One trigger call per statement instead of one per row: the tenants come from the transition
-- tables (both OLD and NEW for an UPDATE, so a row moved to another tenant invalidates both).
-- TRUNCATE has no transition table and fires no row trigger, so its BEFORE trigger reads the
-- tenants that are about to disappear. Every AFTER trigger hands its tenants to
-- turbo.fn_robust_after, which bumps once the statement's last AFTER trigger has fired.
CREATE FUNCTION turbo.fn_robust_after_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM turbo.fn_robust_after(TG_RELID::text || TG_OP, regexp_replace(TG_TABLE_NAME, '^tv_', ''),
        ARRAY(SELECT DISTINCT tenant_id FROM new_rows));
    RETURN NULL;
END $$;

CREATE FUNCTION turbo.fn_robust_after_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM turbo.fn_robust_after(TG_RELID::text || TG_OP, regexp_replace(TG_TABLE_NAME, '^tv_', ''),
        ARRAY(SELECT tenant_id FROM old_rows UNION SELECT tenant_id FROM new_rows));
    RETURN NULL;
END $$;

CREATE FUNCTION turbo.fn_robust_after_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM turbo.fn_robust_after(TG_RELID::text || TG_OP, regexp_replace(TG_TABLE_NAME, '^tv_', ''),
        ARRAY(SELECT DISTINCT tenant_id FROM old_rows));
    RETURN NULL;
END $$;

CREATE FUNCTION turbo.fn_robust_before_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    v_tenants uuid[];
BEGIN
    EXECUTE format('SELECT ARRAY(SELECT DISTINCT tenant_id FROM %I.%I)', TG_TABLE_SCHEMA, TG_TABLE_NAME)
        INTO v_tenants;
    PERFORM turbo.fn_robust_collect(regexp_replace(TG_TABLE_NAME, '^tv_', ''), v_tenants);
    RETURN NULL;
END $$;

CREATE FUNCTION turbo.fn_robust_after_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM turbo.fn_robust_after(TG_RELID::text || TG_OP, regexp_replace(TG_TABLE_NAME, '^tv_', ''), '{}');
    RETURN NULL;
END $$;

-- Attaches the design to one tv_ table; call it for tv_ tables created after the design.
CREATE FUNCTION turbo.fn_robust_attach(p_table regclass) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    -- BEFORE triggers fire in name order: the statement is opened before TRUNCATE reads its tenants.
    EXECUTE format('CREATE TRIGGER tr_robust_0_statement_start BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON %s
        FOR EACH STATEMENT EXECUTE FUNCTION turbo.fn_robust_statement_start()', p_table);
    EXECUTE format('CREATE TRIGGER tr_robust_1_before_truncate BEFORE TRUNCATE ON %s
        FOR EACH STATEMENT EXECUTE FUNCTION turbo.fn_robust_before_truncate()', p_table);
    EXECUTE format('CREATE TRIGGER tr_robust_after_insert AFTER INSERT ON %s
        REFERENCING NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION turbo.fn_robust_after_insert()', p_table);
    EXECUTE format('CREATE TRIGGER tr_robust_after_update AFTER UPDATE ON %s
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION turbo.fn_robust_after_update()', p_table);
    EXECUTE format('CREATE TRIGGER tr_robust_after_delete AFTER DELETE ON %s
        REFERENCING OLD TABLE AS old_rows
        FOR EACH STATEMENT EXECUTE FUNCTION turbo.fn_robust_after_delete()', p_table);
    EXECUTE format('CREATE TRIGGER tr_robust_after_truncate AFTER TRUNCATE ON %s
        FOR EACH STATEMENT EXECUTE FUNCTION turbo.fn_robust_after_truncate()', p_table);
END $$;

SELECT turbo.fn_for_each_tv_table('SELECT turbo.fn_robust_attach(%1$L)');
