-- design seed: transcribed from shared/design/batch-safe-lazy-caching-examples.md (scheduled maintenance).
-- Same keys and semantics as published; any change needed to run is marked FIX.

-- Maintenance function for scheduled execution
CREATE OR REPLACE FUNCTION turbo.fn_scheduled_maintenance()
RETURNS TABLE(
    maintenance_task TEXT,
    status TEXT,
    details TEXT
) AS $$
DECLARE
    v_health_status TEXT;
    v_cleanup_needed BOOLEAN := FALSE;
    v_cleanup_result RECORD;
BEGIN
    -- Check health status
    SELECT health_status INTO v_health_status
    FROM turbo.v_statement_tracker_health;

    RETURN QUERY VALUES (
        'Health Check',
        COALESCE(v_health_status, 'UNKNOWN'),
        format('Current status: %s', COALESCE(v_health_status, 'Could not determine'))
    );

    -- Determine if cleanup is needed
    v_cleanup_needed := v_health_status IN ('WARNING', 'CRITICAL');

    IF v_cleanup_needed THEN
        -- Perform cleanup
        SELECT cleanup_summary, rows_deleted INTO v_cleanup_result
        FROM turbo.fn_cleanup_statement_tracker()
        LIMIT 1;

        RETURN QUERY VALUES (
            'Statement Tracker Cleanup',
            'COMPLETED',
            format('%s (deleted %s rows)',
                v_cleanup_result.cleanup_summary,
                v_cleanup_result.rows_deleted)
        );
    ELSE
        RETURN QUERY VALUES (
            'Statement Tracker Cleanup',
            'SKIPPED',
            'No cleanup needed - system is healthy'
        );
    END IF;

    -- Update table statistics
    ANALYZE turbo.tb_statement_version_tracker;
    ANALYZE turbo.tb_domain_version;
    ANALYZE turbo.tb_graphql_cache;

    RETURN QUERY VALUES (
        'Statistics Update',
        'COMPLETED',
        'Updated table statistics for optimizer'
    );

    -- Check for any concerning patterns
    IF EXISTS (
        SELECT 1 FROM turbo.v_batch_efficiency_report
        WHERE efficiency_assessment = 'SINGLE'
    ) THEN
        RETURN QUERY VALUES (
            'Efficiency Warning',
            'DETECTED',
            'Some operations are not benefiting from batch optimization - review application patterns'
        );
    END IF;
END;
$$ LANGUAGE plpgsql;

-- Schedule this function to run every 15 minutes
-- In production, use pg_cron or similar:
-- SELECT cron.schedule('statement-tracker-maintenance', '*/15 * * * *',
--     'SELECT * FROM turbo.fn_scheduled_maintenance()');
