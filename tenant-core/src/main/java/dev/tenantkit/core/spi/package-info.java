/**
 * Rules that several TenantKit modules share, written once: which hosts are loopback, which URIs
 * may carry tokens, what an AWS Region code looks like. Public so that TenantKit's own modules can
 * call them; <strong>not for users</strong>: these types may change in any release without notice.
 */
@NullMarked
package dev.tenantkit.core.spi;

import org.jspecify.annotations.NullMarked;
