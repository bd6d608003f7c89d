-- mutant guard-statement-start: robust's statement start behind `IF pg_trigger_depth() > 1 THEN
-- RETURN`. A client's statements open as before. A foreign key's ON DELETE / ON UPDATE CASCADE runs
-- its query from a trigger: the child table never joins the open statement, so the parent's AFTER
-- trigger bumps alone, and the child's AFTER trigger, finding nothing open, bumps again: pairs both
-- tables cascade to are bumped twice by one statement.
CREATE OR REPLACE FUNCTION turbo.fn_robust_statement_start() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    v_state text := coalesce(current_setting('turbo.statement', true), '');
    v_open text := split_part(v_state, '|', 1);
    v_token text := TG_RELID::text || TG_OP;
BEGIN
    IF pg_trigger_depth() > 1 THEN
        RETURN NULL;
    END IF;
    IF v_open = '' THEN
        PERFORM set_config('turbo.statement', v_token || '|', false);
    ELSIF NOT (v_token = ANY (string_to_array(v_open, ' '))) THEN
        PERFORM set_config('turbo.statement', v_open || ' ' || v_token || '|' || split_part(v_state, '|', 2), false);
    END IF;
    RETURN NULL;
END $$;
