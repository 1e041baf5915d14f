/** Implementation of tenant-db; not API. */
@NullMarked
package dev.tenantkit.db.internal;

import org.jspecify.annotations.NullMarked;
