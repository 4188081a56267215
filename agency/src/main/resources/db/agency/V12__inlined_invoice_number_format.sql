-- Issue 27: everything an issue does after sentinel.next_number runs under the counter row's lock,
-- which serializes the issuers of a series. The numbering guard (V8, and on Citus V10) prints the
-- counter's number with agency.format_invoice_number, whose body read the format's zeros in a
-- subquery: a SQL function with a FROM clause is never inlined, so every issue paid a call of the
-- SQL-function executor under the lock (measured with track_functions: about a third of the
-- guard's own time). The same result as one expression, which the planner inlines into the guard's
-- query: the zeros are read three times by the same regular expression (compiled once per backend)
-- instead of once in a subquery. A format without {000000} still prints null, as before, which the
-- guard refuses.
create or replace function agency.format_invoice_number(p_format text, p_series text, p_year integer, p_counter bigint)
    returns text
    language sql immutable parallel safe
    as $$
    select replace(replace(replace(
               replace(p_format, '{' || substring(p_format from '\{(0{1,12})\}') || '}',
                       case when length(p_counter::text) >= length(substring(p_format from '\{(0{1,12})\}')) then p_counter::text
                            else lpad(p_counter::text, length(substring(p_format from '\{(0{1,12})\}')), '0') end),
               '{series}', p_series),
               '{yyyy}', lpad(p_year::text, 4, '0')),
               '{yy}', lpad((p_year % 100)::text, 2, '0'))
$$;
comment on function agency.format_invoice_number(text, text, integer, bigint) is
    'An invoice number printed in a series'' number format, as issue() prints it: {series}, {yyyy}, {yy} filled in and '
    'the counter zero-padded to the width of {000000}. One expression, so that the planner inlines it into the '
    'numbering guard''s query.';
