-- mutant forget-overlap: dedup per trigger call instead of per statement. Every AFTER trigger bumps
-- what it saw at once, so a writable CTE over contract and contract_item bumps price and contract
-- (targets of both) twice, and an upsert that inserts and updates one tenant bumps it twice: EXTRA.
CREATE OR REPLACE FUNCTION turbo.fn_robust_after(p_token text, p_targets text[], p_tenants uuid[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_state text := coalesce(current_setting('turbo.statement', true), '');
BEGIN
    PERFORM turbo.fn_robust_bump(turbo.fn_robust_add_pairs(split_part(v_state, '|', 2), p_targets, p_tenants));
    PERFORM set_config('turbo.statement',
        turbo.fn_robust_close(split_part(v_state, '|', 1), p_token) || '|', false);
END $$;
