-- Fails on purpose: migrate-on-start must refuse to start the service.
create table half_done (id uuid primary key);
select * from a_table_that_does_not_exist;
