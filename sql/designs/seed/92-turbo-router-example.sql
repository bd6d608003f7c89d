-- design seed: transcribed from shared/design/batch-safe-lazy-caching-examples.md (TurboRouter registration).
-- Same keys and semantics as published; any change needed to run is marked FIX.

-- Register cached queries with TurboRouter
INSERT INTO turbo.tb_turbo_query (
    operation_name,
    query_hash,
    graphql_query,
    sql_template,
    param_mapping,
    is_active
) VALUES (
    'GetUserProfile',
    encode(sha256('GetUserProfile query hash'::bytea), 'hex'),
    'query GetUserProfile($id: UUID!) { userProfile(id: $id) { id name email avatar } }',
    'SELECT turbo.fn_get_cached_response(
        ''user_profile'',
        $1::text,
        ''user'',
        ''user.fn_build_profile_response'',
        jsonb_build_object(''user_id'', $1)
    )',
    '{"id": 1}'::jsonb,
    true
) ON CONFLICT (query_hash) DO UPDATE SET
    operation_name = EXCLUDED.operation_name,
    sql_template = EXCLUDED.sql_template,
    updated_at = NOW();
