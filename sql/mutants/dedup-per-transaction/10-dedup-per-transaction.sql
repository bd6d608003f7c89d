-- mutant dedup-per-transaction: a row trigger that deduplicates on the transaction id instead of
-- the statement. Right in autocommit, where each statement is its own transaction; MISSED as soon as
-- two statements share one (a message, a DO block, BEGIN ... COMMIT).
CREATE TABLE turbo.mutant_tx_tracker (
    xid xid8 NOT NULL,
    tenant_id uuid NOT NULL,
    domain text NOT NULL,
    PRIMARY KEY (xid, tenant_id, domain)
);

-- Bumps (tenant, domain) and each cascade target not yet bumped in this transaction.
CREATE FUNCTION turbo.mutant_bump_once(p_tenant uuid, p_domain text) RETURNS void
LANGUAGE sql AS $$
    WITH fresh AS (
        INSERT INTO turbo.mutant_tx_tracker
        SELECT pg_current_xact_id(), p_tenant, d
        FROM (SELECT p_domain UNION SELECT target_domain FROM turbo.tb_domain_dependency WHERE source_domain = p_domain) AS g(d)
        ON CONFLICT DO NOTHING
        RETURNING tenant_id, domain
    )
    INSERT INTO turbo.tb_domain_version AS v (tenant_id, domain, version)
    SELECT tenant_id, domain, 1 FROM fresh
    ON CONFLICT (tenant_id, domain) DO UPDATE SET version = v.version + 1
$$;

CREATE FUNCTION turbo.mutant_row_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'DELETE' THEN
        PERFORM turbo.mutant_bump_once(NEW.tenant_id, regexp_replace(TG_TABLE_NAME, '^tv_', ''));
    END IF;
    IF TG_OP <> 'INSERT' THEN
        PERFORM turbo.mutant_bump_once(OLD.tenant_id, regexp_replace(TG_TABLE_NAME, '^tv_', ''));
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION turbo.mutant_truncate_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    v_tenant uuid;
BEGIN
    FOR v_tenant IN EXECUTE format('SELECT DISTINCT tenant_id FROM %I.%I', TG_TABLE_SCHEMA, TG_TABLE_NAME) LOOP
        PERFORM turbo.mutant_bump_once(v_tenant, regexp_replace(TG_TABLE_NAME, '^tv_', ''));
    END LOOP;
    RETURN NULL;
END $$;

SELECT turbo.fn_for_each_tv_table('CREATE TRIGGER mutant_tx AFTER INSERT OR UPDATE OR DELETE ON %1$s
    FOR EACH ROW EXECUTE FUNCTION turbo.mutant_row_trigger()');
SELECT turbo.fn_for_each_tv_table('CREATE TRIGGER mutant_tx_truncate BEFORE TRUNCATE ON %1$s
    FOR EACH STATEMENT EXECUTE FUNCTION turbo.mutant_truncate_trigger()');
