/**
 * Content of a tenant: the knowledge base ({@link dev.sentinel.core.Tx#attach(Class)}), documents
 * with a slug unique among live documents and a draft, published, archived life cycle; and the media
 * library ({@link dev.sentinel.core.Tx#attach(Class)}), uploaded files with a visibility that decides who
 * may see them. See {@code docs/agency.md}, "Knowledge base" and "Media".
 *
 * @serial exclude
 */
package dev.sentinel.agency.content;
