-- design seed: transcribed from shared/design/batch-safe-lazy-caching-examples.md (complete tv_ table setup).
-- Same keys and semantics as published; any change needed to run is marked FIX.

-- FIX: the example references tb_users(id), which the document never defines; a minimal source
-- table lets the foreign key exist.
CREATE TABLE IF NOT EXISTS tb_users (
    id SERIAL PRIMARY KEY,
    name text
);

CREATE TABLE tv_user_profile (
    -- Sacred Trinity pattern
    id SERIAL PRIMARY KEY,
    pk_user_profile UUID DEFAULT gen_random_uuid() UNIQUE,

    -- Foreign key to source entity
    fk_user INTEGER NOT NULL,

    -- Multi-tenant support
    tenant_id UUID NOT NULL,

    -- Complete denormalized data
    data JSONB NOT NULL DEFAULT '{}'::jsonb,

    -- Versioning and audit
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TIMESTAMPTZ DEFAULT NOW(),
    updated_by UUID,

    -- Constraints
    CONSTRAINT fk_tv_user_profile_source FOREIGN KEY (fk_user) REFERENCES tb_users(id),
    CONSTRAINT uq_tv_user_profile_tenant UNIQUE (fk_user, tenant_id)
);

-- Batch-safe trigger
CREATE TRIGGER tr_user_profile_cache_invalidation
AFTER INSERT OR UPDATE OR DELETE ON tv_user_profile
FOR EACH ROW EXECUTE FUNCTION turbo.fn_tv_table_cache_invalidation();

-- Index for performance
CREATE INDEX idx_tv_user_profile_tenant ON tv_user_profile(tenant_id);
CREATE INDEX idx_tv_user_profile_updated ON tv_user_profile(updated_at);
