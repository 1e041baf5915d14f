/** Implementation of tenant-auth. Not API: may change in any release. */
@NullMarked
package dev.tenantkit.auth.internal;

import org.jspecify.annotations.NullMarked;
