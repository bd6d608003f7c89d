-- design seed-on-conflict: everything of seed, with the two tracker inserts rewritten as the
-- published variant does. Keys, cascade and bump statements are the seed's; only the way
-- "first row wins" is detected changes (no subtransaction per row).
CREATE OR REPLACE FUNCTION turbo.fn_tv_table_cache_invalidation()
RETURNS TRIGGER AS $$
DECLARE
    v_tenant_id UUID;
    v_domain TEXT;
    v_statement_id TIMESTAMP;
    v_backend_pid INT;
    v_rows INT;
BEGIN
    v_domain := regexp_replace(TG_TABLE_NAME, '^tv_', '');
    v_statement_id := statement_timestamp();
    v_backend_pid := pg_backend_pid();
    v_tenant_id := COALESCE(NEW.tenant_id, OLD.tenant_id);

    INSERT INTO turbo.tb_statement_version_tracker
        (backend_pid, statement_timestamp, tenant_id, domain)
    VALUES (v_backend_pid, v_statement_id, v_tenant_id, v_domain)
    ON CONFLICT DO NOTHING;
    GET DIAGNOSTICS v_rows = ROW_COUNT;

    IF v_rows > 0 THEN
        INSERT INTO turbo.tb_domain_version (tenant_id, domain, version, last_modified)
        VALUES (v_tenant_id, v_domain, 1, NOW())
        ON CONFLICT (tenant_id, domain) DO UPDATE
        SET version = turbo.tb_domain_version.version + 1,
            last_modified = NOW(),
            modified_by = current_setting('app.user_id', true),
            change_summary = format('%s batch on tv_%s (%s rows)',
                TG_OP, v_domain, TG_LEVEL);

        PERFORM turbo.fn_handle_cascade_invalidation(
            v_backend_pid, v_statement_id, v_tenant_id, v_domain
        );

        IF random() < 0.01 THEN
            PERFORM turbo.fn_cleanup_statement_tracker();
        END IF;
    END IF;

    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION turbo.fn_increment_domain_version_once(
    p_backend_pid INT,
    p_statement_id TIMESTAMP,
    p_tenant_id UUID,
    p_domain TEXT
) RETURNS void AS $$
DECLARE
    v_rows INT;
BEGIN
    INSERT INTO turbo.tb_statement_version_tracker
        (backend_pid, statement_timestamp, tenant_id, domain)
    VALUES (p_backend_pid, p_statement_id, p_tenant_id, p_domain)
    ON CONFLICT DO NOTHING;
    GET DIAGNOSTICS v_rows = ROW_COUNT;

    IF v_rows > 0 THEN
        INSERT INTO turbo.tb_domain_version (tenant_id, domain, version, last_modified)
        VALUES (p_tenant_id, p_domain, 1, NOW())
        ON CONFLICT (tenant_id, domain) DO UPDATE
        SET version = turbo.tb_domain_version.version + 1,
            last_modified = NOW(),
            modified_by = 'cascade_system',
            change_summary = format('Cascade invalidation from %s domain',
                COALESCE((
                    SELECT domain
                    FROM turbo.tb_statement_version_tracker
                    WHERE backend_pid = p_backend_pid
                      AND statement_timestamp = p_statement_id
                      AND tenant_id = p_tenant_id
                      AND created_at = (
                        SELECT MIN(created_at)
                        FROM turbo.tb_statement_version_tracker sub
                        WHERE sub.backend_pid = p_backend_pid
                          AND sub.statement_timestamp = p_statement_id
                          AND sub.tenant_id = p_tenant_id
                      )
                    LIMIT 1
                ), 'unknown')
            );
    END IF;
END;
$$ LANGUAGE plpgsql;
