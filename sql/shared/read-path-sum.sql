-- Shared by robust and row-ledger (design.json "include"): the multi-domain read compares the SUM
-- of the domains' versions, not the MAX.
--
-- A response guarded by several domains must be rebuilt when any of them is bumped. MAX misses that
-- whenever the bumped domain is not the highest: a machine overview guarded by (allocation,
-- maintenance) and cached at max(5, 1) = 5 is still served after maintenance goes to 2, although it
-- shows maintenance rows (found by the coherence-multi-domain property; docs/coherence.md). Versions
-- only grow and every bump adds exactly 1, so the sum grows with every bump of any guarding domain;
-- a rollback takes back the bump and the cache row it may have caused together.
--
-- Single-domain reads are unchanged: the sum of one version is that version.
CREATE OR REPLACE FUNCTION turbo.fn_domains_version(p_tenant uuid, p_domains text[]) RETURNS bigint
LANGUAGE sql STABLE AS $$
    SELECT coalesce(sum(version), 0)::bigint FROM turbo.tb_domain_version
    WHERE tenant_id = p_tenant AND domain = ANY (p_domains)
$$;
