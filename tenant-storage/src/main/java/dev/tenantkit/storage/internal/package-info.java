/** Implementation of tenant-storage. Not API: may change in any release. */
@NullMarked
package dev.tenantkit.storage.internal;

import org.jspecify.annotations.NullMarked;
