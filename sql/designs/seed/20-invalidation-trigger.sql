-- design seed: transcribed from shared/design/batch-safe-lazy-caching-examples.md (row trigger).
-- Same keys and semantics as published; any change needed to run is marked FIX.

-- Production-tested batch-safe invalidation trigger
CREATE OR REPLACE FUNCTION turbo.fn_tv_table_cache_invalidation()
RETURNS TRIGGER AS $$
DECLARE
    v_tenant_id UUID;
    v_domain TEXT;
    v_statement_id TIMESTAMP;
    v_backend_pid INT;
    v_inserted BOOLEAN := FALSE;
BEGIN
    -- Extract domain from table name (tv_contract â†’ contract)
    v_domain := regexp_replace(TG_TABLE_NAME, '^tv_', '');

    -- Get unique statement identifier
    v_statement_id := statement_timestamp();
    v_backend_pid := pg_backend_pid();
    v_tenant_id := COALESCE(NEW.tenant_id, OLD.tenant_id);

    -- Try to insert tracking record (first row wins)
    BEGIN
        INSERT INTO turbo.tb_statement_version_tracker
            (backend_pid, statement_timestamp, tenant_id, domain)
        VALUES (v_backend_pid, v_statement_id, v_tenant_id, v_domain);
        v_inserted := TRUE;
    EXCEPTION WHEN unique_violation THEN
        -- Another row in this statement already handled invalidation
        v_inserted := FALSE;
    END;

    -- If insert succeeded, this is the first row in the batch
    IF v_inserted THEN
        -- Increment domain version (ONLY ONCE per statement)
        INSERT INTO turbo.tb_domain_version (tenant_id, domain, version, last_modified)
        VALUES (v_tenant_id, v_domain, 1, NOW())
        ON CONFLICT (tenant_id, domain) DO UPDATE
        SET version = turbo.tb_domain_version.version + 1,
            last_modified = NOW(),
            modified_by = current_setting('app.user_id', true),
            change_summary = format('%s batch on tv_%s (%s rows)',
                TG_OP, v_domain, TG_LEVEL);

        -- Handle cascade invalidations
        PERFORM turbo.fn_handle_cascade_invalidation(
            v_backend_pid, v_statement_id, v_tenant_id, v_domain
        );

        -- Probabilistic cleanup (1% chance)
        IF random() < 0.01 THEN
            PERFORM turbo.fn_cleanup_statement_tracker();
        END IF;
    END IF;

    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
