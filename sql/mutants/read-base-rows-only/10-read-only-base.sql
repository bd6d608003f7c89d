-- mutant read-base-rows-only: the read path sums the base rows without the deltas inheriting from
-- them, as a query written `FROM ONLY turbo.tb_domain_version` (or against a copy of the table
-- made before robust appended deltas) does. Every bump lands in the versions the harness reads
-- (turbo.v_domain_version sums both), but a cached read sees a bump only once a compaction has
-- folded it, and serves the response built before it meanwhile.
CREATE OR REPLACE FUNCTION turbo.fn_domains_version(p_tenant uuid, p_domains text[]) RETURNS bigint
LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN (SELECT coalesce(sum(version), 0)::bigint FROM ONLY turbo.tb_domain_version
            WHERE tenant_id = p_tenant AND domain = ANY (p_domains));
END $$;
