/** Implementation of tenant-core. Not API: may change in any release. */
@NullMarked
package dev.tenantkit.core.internal;

import org.jspecify.annotations.NullMarked;
