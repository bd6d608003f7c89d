-- mutant statement-timestamp-identity: the seed's statement key. A (tenant, domain) a statement
-- bumps is skipped when an earlier statement with the same statement_timestamp() bumped it, so
-- statements in one message or DO block (and, in PGlite, within one millisecond) count as one.
-- A BEFORE INSERT row trigger on robust's delta table sees every bump robust makes, whichever path
-- made it (each bump inserts one row there), and skips a row by returning NULL; the bump
-- statement's RETURNING then leaves out its history row too.
CREATE FUNCTION turbo.fn_mutant_same_timestamp() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    v_ts text := statement_timestamp()::text;
    v_pair text := NEW.tenant_id::text || '/' || NEW.domain;
    v_seen text[] := CASE WHEN current_setting('turbo.mutant_ts', true) = v_ts
                          THEN string_to_array(current_setting('turbo.mutant_seen', true), ',') ELSE '{}' END;
BEGIN
    IF v_pair = ANY (v_seen) THEN
        RETURN NULL;
    END IF;
    PERFORM set_config('turbo.mutant_ts', v_ts, false);
    PERFORM set_config('turbo.mutant_seen', array_to_string(v_seen || v_pair, ','), false);
    RETURN NEW;
END $$;

CREATE TRIGGER tr_mutant_same_timestamp BEFORE INSERT ON turbo.tb_domain_version_delta
FOR EACH ROW EXECUTE FUNCTION turbo.fn_mutant_same_timestamp();
