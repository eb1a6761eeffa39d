"""A citizen's dossier pages: the submission wizard (``wizard``), "Hồ sơ của tôi" and the
applicant's page of one dossier (``applicant``), and the public lookup by code (``lookup``).

Views are thin: every dossier is fetched through the access layer
(``dossiers.permissions.access_dossier_by_reference`` or ``Dossier.objects.restrict``), every
change goes through ``dossiers.services``, and what the applicant is shown is read in
``portal.selectors``.
"""
