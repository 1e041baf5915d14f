/**
 * Per-tenant S3 that cannot be escaped.
 *
 * <p>Entry points:
 *
 * <ul>
 *   <li>{@link dev.tenantkit.storage.TenantStorageClient}: built once per application; hands out
 *       the {@link dev.tenantkit.storage.TenantStorage} view of the tenant in scope
 *       ({@code current()}) or of a named tenant (control-plane code). A view reaches only its
 *       tenant's bucket, prefix or access point, with the encryption its record names
 *       ({@link dev.tenantkit.storage.PutOptions}, {@link dev.tenantkit.storage.ObjectInfo},
 *       {@link dev.tenantkit.storage.ListPage}, {@link dev.tenantkit.storage.PresignedUpload});</li>
 *   <li>{@link dev.tenantkit.storage.ObjectKeys}: the key rules; a relative key that could reach
 *       outside the tenant's space is refused with
 *       {@link dev.tenantkit.storage.InvalidObjectKeyException} before any request is built;</li>
 *   <li>{@link dev.tenantkit.storage.ContinuationTokenKeys}: the keys every instance of a fleet
 *       shares, so a listing's next page can land on any of them, and a token never crosses
 *       tenants or listings;</li>
 *   <li>{@link dev.tenantkit.storage.TenantCredentials} and
 *       {@link dev.tenantkit.storage.SessionPolicies}: STS {@code AssumeRole} per tenant with a
 *       session tag and a generated session policy, the second wall behind the key rules.</li>
 * </ul>
 *
 * <p>Failures of S3 itself are {@link dev.tenantkit.storage.StorageException}s.
 *
 * <pre>{@code
 * TenantStorageClient storage = TenantStorageClient.builder().s3Client(s3).presigner(presigner).build();
 * storage.current().put("invoices/7.pdf", bytes, PutOptions.contentType("application/pdf"));
 * }</pre>
 *
 * <p>The implementation lives in {@code dev.tenantkit.storage.internal} (docs/design-storage.md
 * says where each job is).
 */
@NullMarked
package dev.tenantkit.storage;

import org.jspecify.annotations.NullMarked;
