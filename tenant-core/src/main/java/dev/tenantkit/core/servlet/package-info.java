/**
 * Jakarta Servlet adapter: {@link dev.tenantkit.core.servlet.TenantFilter} resolves the tenant of
 * each request, checks the catalog and runs the rest of the chain in the tenant's scope. The
 * servlet API is a {@code provided} dependency: the container brings it.
 */
@NullMarked
package dev.tenantkit.core.servlet;

import org.jspecify.annotations.NullMarked;
