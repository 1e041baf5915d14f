CREATE TABLE notes (id serial PRIMARY KEY, tenant_id text NOT NULL DEFAULT current_setting('tenantkit.tenant_id'), body text NOT NULL);
