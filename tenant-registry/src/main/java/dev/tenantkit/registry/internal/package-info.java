/** Not API: the registry's item codec. */
@NullMarked
package dev.tenantkit.registry.internal;

import org.jspecify.annotations.NullMarked;
