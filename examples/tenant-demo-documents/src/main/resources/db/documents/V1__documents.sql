-- The documents table: in the tenant's database (silo) or shared under row-level security (pool).
CREATE TABLE IF NOT EXISTS documents (id uuid PRIMARY KEY, tenant_id text NOT NULL, name text NOT NULL,
    content_type text NOT NULL, size bigint NOT NULL, object_key text NOT NULL, created_at timestamptz NOT NULL);
