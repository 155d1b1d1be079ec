"""The public site: thin views that parse the request, call a selector and render;
one module per page."""
