-- design seed: transcribed from shared/design/batch-safe-lazy-caching-examples.md (cascade).
-- Same keys and semantics as published; any change needed to run is marked FIX.

-- Production cascade invalidation system
CREATE OR REPLACE FUNCTION turbo.fn_handle_cascade_invalidation(
    p_backend_pid INT,
    p_statement_id TIMESTAMP,
    p_tenant_id UUID,
    p_source_domain TEXT
) RETURNS void AS $$
BEGIN
    -- Contract domain affects related domains
    IF p_source_domain = 'contract' THEN
        -- Contract items depend on contracts
        PERFORM turbo.fn_increment_domain_version_once(
            p_backend_pid, p_statement_id, p_tenant_id, 'contract_item'
        );
        -- Pricing depends on contracts
        PERFORM turbo.fn_increment_domain_version_once(
            p_backend_pid, p_statement_id, p_tenant_id, 'price'
        );
        -- Machine allocations depend on contracts
        PERFORM turbo.fn_increment_domain_version_once(
            p_backend_pid, p_statement_id, p_tenant_id, 'allocation'
        );

    -- Contract item changes affect pricing and contracts
    ELSIF p_source_domain = 'contract_item' THEN
        PERFORM turbo.fn_increment_domain_version_once(
            p_backend_pid, p_statement_id, p_tenant_id, 'price'
        );
        PERFORM turbo.fn_increment_domain_version_once(
            p_backend_pid, p_statement_id, p_tenant_id, 'contract'
        );

    -- Machine changes affect allocations
    ELSIF p_source_domain = 'machine' THEN
        PERFORM turbo.fn_increment_domain_version_once(
            p_backend_pid, p_statement_id, p_tenant_id, 'allocation'
        );
        PERFORM turbo.fn_increment_domain_version_once(
            p_backend_pid, p_statement_id, p_tenant_id, 'maintenance'
        );

    -- User changes affect all user-related contexts
    ELSIF p_source_domain = 'user' THEN
        PERFORM turbo.fn_increment_domain_version_once(
            p_backend_pid, p_statement_id, p_tenant_id, 'organization'
        );
    END IF;
END;
$$ LANGUAGE plpgsql;

-- Helper for cascade invalidation with deduplication
CREATE OR REPLACE FUNCTION turbo.fn_increment_domain_version_once(
    p_backend_pid INT,
    p_statement_id TIMESTAMP,
    p_tenant_id UUID,
    p_domain TEXT
) RETURNS void AS $$
DECLARE
    v_inserted BOOLEAN := FALSE;
BEGIN
    -- Use same tracking pattern for cascaded domains
    BEGIN
        INSERT INTO turbo.tb_statement_version_tracker
            (backend_pid, statement_timestamp, tenant_id, domain)
        VALUES (p_backend_pid, p_statement_id, p_tenant_id, p_domain);
        v_inserted := TRUE;
    EXCEPTION WHEN unique_violation THEN
        -- Already handled by another cascade or direct invalidation
        v_inserted := FALSE;
    END;

    -- Only increment if this was the first invalidation for this domain
    IF v_inserted THEN
        INSERT INTO turbo.tb_domain_version (tenant_id, domain, version, last_modified)
        VALUES (p_tenant_id, p_domain, 1, NOW())
        ON CONFLICT (tenant_id, domain) DO UPDATE
        SET version = turbo.tb_domain_version.version + 1,
            last_modified = NOW(),
            modified_by = 'cascade_system',
            change_summary = format('Cascade invalidation from %s domain',
                -- Find the original source domain for this statement
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
