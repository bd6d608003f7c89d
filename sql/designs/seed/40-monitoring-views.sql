-- design seed: transcribed from shared/design/batch-safe-lazy-caching-examples.md (monitoring views).
-- Same keys and semantics as published; any change needed to run is marked FIX.

-- Production health monitoring view
CREATE VIEW turbo.v_statement_tracker_health AS
SELECT
    COUNT(*) as active_statements,
    COUNT(DISTINCT backend_pid) as active_connections,
    COUNT(DISTINCT tenant_id) as active_tenants,
    COUNT(DISTINCT domain) as domains_affected,
    MIN(created_at) as oldest_statement,
    MAX(created_at) as newest_statement,
    EXTRACT(MINUTES FROM (NOW() - MIN(created_at))) as oldest_age_minutes,
    pg_size_pretty(
        pg_total_relation_size('turbo.tb_statement_version_tracker')
    ) as table_size,
    CASE
        WHEN COUNT(*) > 10000 THEN 'CRITICAL'
        WHEN COUNT(*) > 5000 THEN 'WARNING'
        WHEN COUNT(*) > 1000 THEN 'ATTENTION'
        WHEN COUNT(*) < 100 THEN 'HEALTHY'
        ELSE 'GOOD'
    END as health_status,
    CASE
        WHEN MIN(created_at) < NOW() - INTERVAL '10 minutes' THEN 'STALE'
        WHEN MIN(created_at) < NOW() - INTERVAL '5 minutes' THEN 'ATTENTION'
        ELSE 'FRESH'
    END as freshness_status
FROM turbo.tb_statement_version_tracker;

-- Batch efficiency analysis view
CREATE VIEW turbo.v_batch_efficiency_report AS
WITH batch_stats AS (
    SELECT
        domain,
        backend_pid,
        statement_timestamp,
        COUNT(*) as rows_affected,
        MIN(created_at) as batch_start,
        MAX(created_at) as batch_end,
        EXTRACT(MILLISECONDS FROM (MAX(created_at) - MIN(created_at))) as batch_duration_ms
    FROM turbo.tb_statement_version_tracker
    WHERE created_at > NOW() - INTERVAL '24 hours'
    GROUP BY domain, backend_pid, statement_timestamp
)
SELECT
    domain,
    COUNT(*) as total_batches,
    ROUND(AVG(rows_affected), 2) as avg_batch_size,
    MIN(rows_affected) as smallest_batch,
    MAX(rows_affected) as largest_batch,
    PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY rows_affected) as median_batch_size,
    PERCENTILE_CONT(0.95) WITHIN GROUP (ORDER BY rows_affected) as p95_batch_size,
    SUM(rows_affected) as total_rows_processed,
    ROUND(AVG(batch_duration_ms), 2) as avg_batch_duration_ms,
    CASE
        WHEN AVG(rows_affected) > 1000 THEN 'EXCELLENT - Very large batches'
        WHEN AVG(rows_affected) > 100 THEN 'GOOD - Large batches'
        WHEN AVG(rows_affected) > 10 THEN 'FAIR - Medium batches'
        WHEN AVG(rows_affected) > 1 THEN 'POOR - Small batches'
        ELSE 'SINGLE - No batching benefit'
    END as efficiency_assessment,
    -- Calculate theoretical time saved
    ROUND(
        (SUM(rows_affected) - COUNT(*)) * 1.0 / 1000, -- 1ms saved per avoided invalidation
        3
    ) as estimated_time_saved_seconds
FROM batch_stats
GROUP BY domain
ORDER BY avg_batch_size DESC;

-- Real-time invalidation monitoring
CREATE VIEW turbo.v_realtime_invalidation_activity AS
SELECT
    domain,
    COUNT(*) FILTER (WHERE created_at > NOW() - INTERVAL '1 minute') as last_minute,
    COUNT(*) FILTER (WHERE created_at > NOW() - INTERVAL '5 minutes') as last_5_minutes,
    COUNT(*) FILTER (WHERE created_at > NOW() - INTERVAL '15 minutes') as last_15_minutes,
    COUNT(DISTINCT backend_pid) as active_processes,
    MAX(created_at) as last_activity,
    CASE
        WHEN COUNT(*) FILTER (WHERE created_at > NOW() - INTERVAL '1 minute') > 100 THEN 'HIGH ACTIVITY'
        WHEN COUNT(*) FILTER (WHERE created_at > NOW() - INTERVAL '1 minute') > 10 THEN 'MODERATE ACTIVITY'
        WHEN COUNT(*) FILTER (WHERE created_at > NOW() - INTERVAL '5 minutes') > 0 THEN 'LOW ACTIVITY'
        ELSE 'IDLE'
    END as activity_level
FROM turbo.tb_statement_version_tracker
WHERE created_at > NOW() - INTERVAL '15 minutes'
GROUP BY domain
ORDER BY last_minute DESC;
