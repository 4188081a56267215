/**
 * The starter's implementation: public only for Spring's wiring, not API (STYLE.md item 5).
 */
package dev.sentinel.spring.internal;
