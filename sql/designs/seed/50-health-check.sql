-- design seed: transcribed from shared/design/batch-safe-lazy-caching-examples.md (health check).
-- Same keys and semantics as published; any change needed to run is marked FIX.

-- Production health check function
CREATE OR REPLACE FUNCTION turbo.fn_check_statement_tracker_health()
RETURNS TABLE(
    check_name TEXT,
    status TEXT,
    value TEXT,
    threshold TEXT,
    recommendation TEXT
) AS $$
DECLARE
    v_count INT;
    v_oldest TIMESTAMP;
    v_connections INT;
    v_table_size TEXT;
BEGIN
    SELECT
        COUNT(*),
        MIN(created_at),
        COUNT(DISTINCT backend_pid),
        pg_size_pretty(pg_total_relation_size('turbo.tb_statement_version_tracker'))
    INTO v_count, v_oldest, v_connections, v_table_size
    FROM turbo.tb_statement_version_tracker;

    -- Check 1: Statement count
    RETURN QUERY VALUES (
        'Statement Count',
        CASE
            WHEN v_count > 10000 THEN 'CRITICAL'
            WHEN v_count > 5000 THEN 'WARNING'
            WHEN v_count > 1000 THEN 'INFO'
            ELSE 'OK'
        END,
        v_count::TEXT,
        '< 5000 (warning at 5000, critical at 10000)',
        CASE
            WHEN v_count > 10000 THEN 'Run cleanup immediately: SELECT turbo.fn_cleanup_statement_tracker()'
            WHEN v_count > 5000 THEN 'Schedule cleanup soon'
            ELSE 'No action needed'
        END
    );

    -- Check 2: Oldest statement age
    RETURN QUERY VALUES (
        'Oldest Statement Age',
        CASE
            WHEN v_oldest < NOW() - INTERVAL '15 minutes' THEN 'WARNING'
            WHEN v_oldest < NOW() - INTERVAL '10 minutes' THEN 'INFO'
            ELSE 'OK'
        END,
        COALESCE(EXTRACT(MINUTES FROM (NOW() - v_oldest))::TEXT || ' minutes', 'No statements'),
        '< 10 minutes (normal operation)',
        CASE
            WHEN v_oldest < NOW() - INTERVAL '15 minutes' THEN 'Check for stuck transactions or long-running operations'
            ELSE 'No action needed'
        END
    );

    -- Check 3: Active connections
    RETURN QUERY VALUES (
        'Active Connections',
        CASE
            WHEN v_connections > 50 THEN 'INFO'
            ELSE 'OK'
        END,
        v_connections::TEXT,
        '< 50 (informational only)',
        CASE
            WHEN v_connections > 50 THEN 'High concurrent activity - monitor for performance'
            ELSE 'Normal activity level'
        END
    );

    -- Check 4: Table size
    RETURN QUERY VALUES (
        'Table Size',
        CASE
            WHEN pg_total_relation_size('turbo.tb_statement_version_tracker') > 100 * 1024 * 1024 THEN 'WARNING'
            WHEN pg_total_relation_size('turbo.tb_statement_version_tracker') > 50 * 1024 * 1024 THEN 'INFO'
            ELSE 'OK'
        END,
        v_table_size,
        '< 50MB (warning at 100MB)',
        CASE
            WHEN pg_total_relation_size('turbo.tb_statement_version_tracker') > 100 * 1024 * 1024
            THEN 'Consider more frequent cleanup or investigate table bloat'
            ELSE 'Size is acceptable'
        END
    );
END;
$$ LANGUAGE plpgsql;
