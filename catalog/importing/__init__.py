"""Reading procedure catalogues from files: the contract's JSON and the national spreadsheet.

``json_file`` and ``national_sheet`` turn a file into rows in one common shape (the JSON
layout of docs ``catalog-contract``); ``rows`` turns such a row into a ``VersionContent``,
resolving sectors and agencies and checking the rules; ``catalog.services.procedure_import``
writes them, all or nothing.
"""
