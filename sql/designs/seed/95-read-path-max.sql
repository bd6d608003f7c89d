-- The published read path (DESIGN-NOTES.md): a response guarded by several domains is checked against
-- the MAX of their versions. Kept as published, because it is part of the seed; it serves stale
-- responses when a domain other than the highest is bumped (docs/coherence.md C1). The base layer's
-- read path compares the SUM instead.
CREATE OR REPLACE FUNCTION turbo.fn_domains_version(p_tenant uuid, p_domains text[]) RETURNS bigint
LANGUAGE sql STABLE AS $$
    SELECT coalesce(max(version), 0) FROM turbo.tb_domain_version
    WHERE tenant_id = p_tenant AND domain = ANY (p_domains)
$$;
