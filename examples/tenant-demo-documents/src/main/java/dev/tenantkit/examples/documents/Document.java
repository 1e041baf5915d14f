package dev.tenantkit.examples.documents;

import java.time.Instant;
import java.util.UUID;

/**
 * A document's metadata (its content is in the tenant's storage).
 *
 * @param id the document id
 * @param name the file name the uploader gave
 * @param contentType its media type
 * @param size its size in bytes
 * @param createdAt when it was uploaded
 */
public record Document(UUID id, String name, String contentType, long size, Instant createdAt) {}
