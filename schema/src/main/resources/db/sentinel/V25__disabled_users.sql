-- A disabled user (users.status = 'disabled') holds no permission anywhere, and may not rotate a
-- refresh token. Sentinel's permission checks ask this function: a tenant sees a user row only
-- through membership, and a global grant counts in a tenant without one, so the check cannot read
-- the row in the caller's scope. Like sentinel.user_exists, it steps into the system scope for
-- this one lookup only and returns nothing but a boolean.
create function sentinel.user_is_active(p_id uuid) returns boolean
    language plpgsql
    set search_path = pg_catalog, pg_temp
    as $$
declare
    previous text := current_setting('sentinel.scope', true);
    active   boolean;
begin
    perform set_config('sentinel.scope', 'system', true);
    select exists (select from sentinel.users where id = p_id and status = 'active' and deleted_at is null) into active;
    perform set_config('sentinel.scope', coalesce(previous, ''), true);
    return active;
end
$$;

comment on function sentinel.user_is_active(uuid) is
    'Whether a live user has this id and status active, whatever the scope. A user who is not holds no '
    'permission (tx.authorize, tx.can) and cannot rotate a refresh token.';
