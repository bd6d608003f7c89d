-- mutant dedup-per-transaction: a row trigger that deduplicates on the transaction id instead of
-- the statement. Right in autocommit, where each statement is its own transaction; MISSED as soon as
-- two statements share one (a message, a DO block, BEGIN ... COMMIT).
CREATE TABLE turbo.mutant_tx_tracker (
    xid xid8 NOT NULL,
    tenant_id uuid NOT NULL,
    domain text NOT NULL,
    PRIMARY KEY (xid, tenant_id, domain)
);

CREATE FUNCTION turbo.mutant_bump_once(p_tenant uuid, p_domain text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE n int;
BEGIN
    INSERT INTO turbo.mutant_tx_tracker VALUES (pg_current_xact_id(), p_tenant, p_domain) ON CONFLICT DO NOTHING;
    GET DIAGNOSTICS n = ROW_COUNT;
    IF n > 0 THEN
        INSERT INTO turbo.tb_domain_version AS v (tenant_id, domain, version) VALUES (p_tenant, p_domain, 1)
        ON CONFLICT (tenant_id, domain) DO UPDATE SET version = v.version + 1;
    END IF;
END $$;

CREATE FUNCTION turbo.mutant_row_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    v_domain text := regexp_replace(TG_TABLE_NAME, '^tv_', '');
    v_tenant uuid;
    v_target text;
BEGIN
    FOREACH v_tenant IN ARRAY ARRAY[CASE WHEN TG_OP <> 'DELETE' THEN NEW.tenant_id END, CASE WHEN TG_OP <> 'INSERT' THEN OLD.tenant_id END] LOOP
        CONTINUE WHEN v_tenant IS NULL;
        PERFORM turbo.mutant_bump_once(v_tenant, v_domain);
        FOR v_target IN SELECT target_domain FROM turbo.tb_domain_dependency WHERE source_domain = v_domain LOOP
            PERFORM turbo.mutant_bump_once(v_tenant, v_target);
        END LOOP;
    END LOOP;
    RETURN NULL;
END $$;

CREATE FUNCTION turbo.mutant_truncate_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    v_domain text := regexp_replace(TG_TABLE_NAME, '^tv_', '');
    v_tenant uuid;
    v_target text;
BEGIN
    FOR v_tenant IN EXECUTE format('SELECT DISTINCT tenant_id FROM %I.%I', TG_TABLE_SCHEMA, TG_TABLE_NAME) LOOP
        PERFORM turbo.mutant_bump_once(v_tenant, v_domain);
        FOR v_target IN SELECT target_domain FROM turbo.tb_domain_dependency WHERE source_domain = v_domain LOOP
            PERFORM turbo.mutant_bump_once(v_tenant, v_target);
        END LOOP;
    END LOOP;
    RETURN NULL;
END $$;

SELECT turbo.fn_for_each_tv_table('CREATE TRIGGER mutant_tx AFTER INSERT OR UPDATE OR DELETE ON %1$s
    FOR EACH ROW EXECUTE FUNCTION turbo.mutant_row_trigger()');
SELECT turbo.fn_for_each_tv_table('CREATE TRIGGER mutant_tx_truncate BEFORE TRUNCATE ON %1$s
    FOR EACH STATEMENT EXECUTE FUNCTION turbo.mutant_truncate_trigger()');
