CREATE TABLE secrets (id int, tenant_id text, value text);
