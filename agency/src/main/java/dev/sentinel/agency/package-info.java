/**
 * The agency domain, a module on top of Sentinel's kernel: register {@link dev.sentinel.agency.Agency#module()}
 * with {@code Sentinel.builder().module(...)} and reach its repositories with
 * {@code tx.attach(Invoices.class)}, {@code tx.attach(Projects.class)} and so on.
 */
package dev.sentinel.agency;
