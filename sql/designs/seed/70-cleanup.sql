-- design seed: transcribed from shared/design/batch-safe-lazy-caching-examples.md (cleanup).
-- Same keys and semantics as published; any change needed to run is marked FIX.

-- Production cleanup function with safety checks
CREATE OR REPLACE FUNCTION turbo.fn_cleanup_statement_tracker()
RETURNS TABLE(
    cleanup_summary TEXT,
    rows_deleted INT,
    oldest_remaining TIMESTAMP,
    table_size_before TEXT,
    table_size_after TEXT
) AS $$
DECLARE
    v_deleted INT;
    v_size_before BIGINT;
    v_size_after BIGINT;
    v_oldest TIMESTAMP;
BEGIN
    -- Capture initial state
    SELECT pg_total_relation_size('turbo.tb_statement_version_tracker')
    INTO v_size_before;

    -- Delete old entries (older than 5 minutes - active statements shouldn't last that long)
    DELETE FROM turbo.tb_statement_version_tracker
    WHERE created_at < NOW() - INTERVAL '5 minutes';

    GET DIAGNOSTICS v_deleted = ROW_COUNT;

    -- Capture final state
    SELECT pg_total_relation_size('turbo.tb_statement_version_tracker'), MIN(created_at)
    INTO v_size_after, v_oldest
    FROM turbo.tb_statement_version_tracker;

    -- Return cleanup summary
    RETURN QUERY VALUES (
        format('Cleaned up %s old statement tracker entries', v_deleted),
        v_deleted,
        v_oldest,
        pg_size_pretty(v_size_before),
        pg_size_pretty(v_size_after)
    );
END;
$$ LANGUAGE plpgsql;

-- Aggressive cleanup for emergency situations
CREATE OR REPLACE FUNCTION turbo.fn_emergency_cleanup_statement_tracker()
RETURNS TABLE(
    cleanup_type TEXT,
    rows_deleted INT,
    safety_note TEXT
) AS $$
DECLARE
    v_deleted_old INT;
    v_deleted_all INT;
    v_total_before INT;
BEGIN
    SELECT COUNT(*) INTO v_total_before FROM turbo.tb_statement_version_tracker;

    -- Phase 1: Delete entries older than 1 minute (very conservative)
    DELETE FROM turbo.tb_statement_version_tracker
    WHERE created_at < NOW() - INTERVAL '1 minute';
    GET DIAGNOSTICS v_deleted_old = ROW_COUNT;

    RETURN QUERY VALUES (
        'Conservative cleanup (> 1 minute old)',
        v_deleted_old,
        format('Removed %s of %s entries safely', v_deleted_old, v_total_before)
    );

    -- Phase 2: If still too many entries, more aggressive cleanup
    IF (SELECT COUNT(*) FROM turbo.tb_statement_version_tracker) > 5000 THEN
        DELETE FROM turbo.tb_statement_version_tracker
        WHERE created_at < NOW() - INTERVAL '30 seconds';
        GET DIAGNOSTICS v_deleted_all = ROW_COUNT;

        RETURN QUERY VALUES (
            'Aggressive cleanup (> 30 seconds old)',
            v_deleted_all - v_deleted_old,
            'WARNING: May have deleted active statements - monitor for issues'
        );
    END IF;

    -- Phase 3: Emergency nuclear option
    IF (SELECT COUNT(*) FROM turbo.tb_statement_version_tracker) > 10000 THEN
        TRUNCATE TABLE turbo.tb_statement_version_tracker;
        GET DIAGNOSTICS v_deleted_all = ROW_COUNT;

        RETURN QUERY VALUES (
            'EMERGENCY: Complete table truncation',
            v_total_before,
            'CRITICAL: All tracking data removed - cache consistency may be affected'
        );
    END IF;
END;
$$ LANGUAGE plpgsql;
