-- mutant forget-overlap: dedup per trigger call instead of per statement. An extra AFTER trigger,
-- named to fire before robust's own, empties the list of pairs bumped so far; a writable CTE over
-- contract and contract_item then bumps price (a target of both) twice: EXTRA.
CREATE FUNCTION turbo.mutant_forget() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('turbo.statement', '-', false);
    RETURN NULL;
END $$;

SELECT turbo.fn_for_each_tv_table('CREATE TRIGGER tr_a_mutant_forget AFTER INSERT OR UPDATE OR DELETE ON %1$s
    FOR EACH STATEMENT EXECUTE FUNCTION turbo.mutant_forget()');
