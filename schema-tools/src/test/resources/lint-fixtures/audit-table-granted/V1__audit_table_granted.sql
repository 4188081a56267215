-- Breaks one rule: a later migration lets the application role edit the audit trail.
grant update on sentinel.audit_log to ${sentinel_app_role};
