-- mutant skip-nested-triggers: robust's AFTER part behind `IF pg_trigger_depth() > 1 THEN RETURN`,
-- the guard trigger authors add against recursion. Every write a client or a function makes still
-- bumps; a tv_ statement run by a base table's sync trigger never closes, so it and every later
-- statement of the session bump nothing.
ALTER FUNCTION turbo.fn_robust_after(text, text, uuid[]) RENAME TO fn_robust_after_unguarded;

CREATE FUNCTION turbo.fn_robust_after(p_token text, p_domain text, p_tenants uuid[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF pg_trigger_depth() > 1 THEN
        RETURN;
    END IF;
    PERFORM turbo.fn_robust_after_unguarded(p_token, p_domain, p_tenants);
END $$;
