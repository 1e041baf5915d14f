/**
 * Per-tenant S3 that cannot be escaped.
 *
 * <ul>
 *   <li>{@link dev.tenantkit.storage.ObjectKeys}: the key rules; a relative key that could reach
 *       outside the tenant's space is refused with
 *       {@link dev.tenantkit.storage.InvalidObjectKeyException} before any request is built;</li>
 * </ul>
 */
@NullMarked
package dev.tenantkit.storage;

import org.jspecify.annotations.NullMarked;
