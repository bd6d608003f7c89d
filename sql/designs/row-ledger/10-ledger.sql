-- design row-ledger: the seed's architecture, repaired.
--
-- Like the seed, an AFTER ROW trigger records (tenant, domain) pairs in a tracker and the first row
-- of a statement to record a pair bumps it. Unlike the seed, the tracker is not keyed on
-- statement_timestamp() (per client message, millisecond-resolution in PGlite): each backend keeps
-- only the pairs of its current statement, and a BEFORE STATEMENT trigger empties them when a new
-- statement opens. A statement opens at the first BEFORE STATEMENT trigger that follows an AFTER
-- STATEMENT trigger; PostgreSQL fires all BEFORE STATEMENT triggers of a query (every table of a
-- writable CTE, both events of an upsert) before any of its AFTER triggers.
--
-- Rolled back work needs no care: the ledger is an ordinary table, so its rows go with the bumps.
CREATE UNLOGGED TABLE turbo.tb_row_ledger (
    backend_pid int NOT NULL,
    tenant_id uuid NOT NULL,
    domain text NOT NULL,
    PRIMARY KEY (backend_pid, tenant_id, domain)
);

CREATE FUNCTION turbo.fn_row_ledger_open() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('turbo.row_ledger_phase', true) IS DISTINCT FROM 'open' THEN
        DELETE FROM turbo.tb_row_ledger WHERE backend_pid = pg_backend_pid();
        PERFORM set_config('turbo.row_ledger_phase', 'open', false);
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION turbo.fn_row_ledger_close() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('turbo.row_ledger_phase', 'closed', false);
    RETURN NULL;
END $$;

-- Bumps (tenant, domain) and each cascade target the statement has not bumped yet.
CREATE FUNCTION turbo.fn_row_ledger_record(p_tenant uuid, p_domain text) RETURNS void
LANGUAGE sql AS $$
    WITH fresh AS (
        INSERT INTO turbo.tb_row_ledger (backend_pid, tenant_id, domain)
        SELECT pg_backend_pid(), p_tenant, d
        FROM (SELECT p_domain UNION SELECT target_domain FROM turbo.tb_domain_dependency WHERE source_domain = p_domain) AS g(d)
        ON CONFLICT DO NOTHING
        RETURNING tenant_id, domain
    )
    INSERT INTO turbo.tb_domain_version AS v (tenant_id, domain, version, last_modified, modified_by, change_summary)
    SELECT tenant_id, domain, 1, now(), 'row-ledger', 'write on tv_' || p_domain FROM fresh ORDER BY domain
    ON CONFLICT (tenant_id, domain) DO UPDATE
    SET version = v.version + 1, last_modified = EXCLUDED.last_modified,
        modified_by = EXCLUDED.modified_by, change_summary = EXCLUDED.change_summary
$$;

CREATE FUNCTION turbo.fn_row_ledger_row() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    v_domain text := regexp_replace(TG_TABLE_NAME, '^tv_', '');
BEGIN
    IF TG_OP <> 'DELETE' THEN
        PERFORM turbo.fn_row_ledger_record(NEW.tenant_id, v_domain);
    END IF;
    IF TG_OP <> 'INSERT' THEN
        PERFORM turbo.fn_row_ledger_record(OLD.tenant_id, v_domain);
    END IF;
    RETURN NULL;
END $$;

-- TRUNCATE fires no row trigger: record every tenant still in the table before it goes.
CREATE FUNCTION turbo.fn_row_ledger_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    v_tenant uuid;
BEGIN
    FOR v_tenant IN EXECUTE format('SELECT DISTINCT tenant_id FROM %I.%I', TG_TABLE_SCHEMA, TG_TABLE_NAME) LOOP
        PERFORM turbo.fn_row_ledger_record(v_tenant, regexp_replace(TG_TABLE_NAME, '^tv_', ''));
    END LOOP;
    RETURN NULL;
END $$;

-- Name order matters among BEFORE triggers: open the statement before TRUNCATE records.
SELECT turbo.fn_for_each_tv_table('CREATE TRIGGER tr_ledger_a_open BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON %1$s
    FOR EACH STATEMENT EXECUTE FUNCTION turbo.fn_row_ledger_open()');
SELECT turbo.fn_for_each_tv_table('CREATE TRIGGER tr_ledger_b_truncate BEFORE TRUNCATE ON %1$s
    FOR EACH STATEMENT EXECUTE FUNCTION turbo.fn_row_ledger_truncate()');
SELECT turbo.fn_for_each_tv_table('CREATE TRIGGER tr_ledger_row AFTER INSERT OR UPDATE OR DELETE ON %1$s
    FOR EACH ROW EXECUTE FUNCTION turbo.fn_row_ledger_row()');
SELECT turbo.fn_for_each_tv_table('CREATE TRIGGER tr_ledger_close AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %1$s
    FOR EACH STATEMENT EXECUTE FUNCTION turbo.fn_row_ledger_close()');
