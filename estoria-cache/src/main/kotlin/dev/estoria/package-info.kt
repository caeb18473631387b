/** Placeholder so the module compiles before its sources land. */
package dev.estoria
