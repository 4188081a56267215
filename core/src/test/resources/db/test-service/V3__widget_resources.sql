-- Widgets as a resource type: grants and API keys can be narrowed to one widget, exactly as the
-- agency module registers its projects. The kernel checks that a narrowed grant names a live
-- widget and deletes the grant with the widget.
select sentinel.register_resource_type('widget', 'widgets', 'A widget of the test service.');
