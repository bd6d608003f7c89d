-- Harness only: the versions, read after every checked message. The same rows as turbo-sim's
-- VERSIONS_SQL over turbo.v_domain_version (src/engine/state.ts), from a PL/pgSQL function because
-- it keeps its query's plan for the session: the bare query was parsed and planned again for every
-- message (an append over the version table and what inherits from it, then a sum per pair), about
-- 150 microseconds a message on PGlite, as much as the read itself.
CREATE FUNCTION turbo_sim.fn_versions() RETURNS TABLE (tenant text, domain text, version text)
LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN QUERY SELECT v.tenant_id::text, v.domain, v.version::text FROM turbo.v_domain_version AS v;
END $$;
