-- mutant statement-timestamp-identity: a new statement only when statement_timestamp() changes.
CREATE OR REPLACE FUNCTION turbo.fn_robust_statement_start() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('turbo.mutant_ts', true) IS DISTINCT FROM statement_timestamp()::text THEN
        PERFORM set_config('turbo.mutant_ts', statement_timestamp()::text, false);
        PERFORM set_config('turbo.statement', '+', false);
    END IF;
    RETURN NULL;
END $$;
