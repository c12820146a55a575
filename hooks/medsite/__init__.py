"""Pure, importable logic behind the MkDocs hooks in ``hooks/``.

Every module here takes text (or parsed data) and returns data or a list of
:class:`medsite.diagnostics.Problem`; none of them imports MkDocs. The thin files in
``hooks/`` wire them to MkDocs events, so a move to another engine rewrites only those.
"""
