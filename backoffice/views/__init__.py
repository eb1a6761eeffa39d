"""Back-office pages: the home, the work queues, the reception desk, the dossier page, the book.

Thin views: forms parse, ``dossiers.services`` write, selectors read; every dossier is fetched
through the access layer (``backoffice.views.http.access_dossier``)."""
