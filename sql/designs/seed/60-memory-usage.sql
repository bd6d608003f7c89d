-- design seed: transcribed from shared/design/batch-safe-lazy-caching-examples.md (memory analysis).
-- Same keys and semantics as published; any change needed to run is marked FIX.

-- Memory usage monitoring function
CREATE OR REPLACE FUNCTION turbo.fn_analyze_memory_usage()
RETURNS TABLE(
    operation_type TEXT,
    rows_processed INT,
    invalidations_created INT,
    efficiency_ratio NUMERIC,
    estimated_memory_saved TEXT
) AS $$
BEGIN
    RETURN QUERY
    WITH operation_analysis AS (
        SELECT
            CASE
                WHEN COUNT(*) = 1 THEN 'Single Row'
                WHEN COUNT(*) <= 10 THEN 'Small Batch'
                WHEN COUNT(*) <= 100 THEN 'Medium Batch'
                WHEN COUNT(*) <= 1000 THEN 'Large Batch'
                ELSE 'Very Large Batch'
            END as op_type,
            COUNT(*) as rows,
            1 as invalidations, -- Always 1 with batch-safe architecture
            backend_pid,
            statement_timestamp
        FROM turbo.tb_statement_version_tracker
        WHERE created_at > NOW() - INTERVAL '1 hour'
        GROUP BY backend_pid, statement_timestamp
    )
    SELECT
        op_type,
        ROUND(AVG(rows))::INT as avg_rows,
        MAX(invalidations) as invalidations_per_operation,
        ROUND(AVG(rows) / MAX(invalidations), 2) as efficiency,
        pg_size_pretty(
            -- Estimate memory saved: (rows - 1) * average_invalidation_size
            ((ROUND(AVG(rows))::INT - 1) * 1024)::BIGINT -- Assume 1KB per invalidation
        ) as memory_saved_estimate
    FROM operation_analysis
    GROUP BY op_type
    ORDER BY avg_rows DESC;
END;
$$ LANGUAGE plpgsql;
